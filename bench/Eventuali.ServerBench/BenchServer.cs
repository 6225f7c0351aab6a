using Eventuali.Hosting;
using Eventuali.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Eventuali.ServerBench;

/// <summary>
/// The server side, run as a child process so its memory is its own: the real Kestrel server with MapEventuali on a
/// loopback port over the store URL, and a write key. It prints "ready ADDRESS KEY", then answers "mem" (working set,
/// GC heap) and "gc" (the same after a full collection: the live heap) on stdin until "quit".
/// </summary>
internal static class BenchServer
{
    public static async Task<int> RunAsync(string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddEventuali(url);
        builder.Services.AddEventualiServer(o =>
        {
            // The bench measures throughput, not the per-key rate limit (200 requests/s by default).
            o.RequestsPerSecond = 1_000_000;
            o.RequestBurst = 1_000_000;
            o.EnableUi = false;

            // SERVERBENCH_SHARED_TAIL=0: every SSE connection reads its own subscription (for a same-machine comparison).
            o.SseSharedTail = Environment.GetEnvironmentVariable("SERVERBENCH_SHARED_TAIL") != "0";
        });
        var app = builder.Build();
        app.MapEventuali();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var key = await app.Services.GetRequiredService<ApiKeyStore>().CreateAsync(ApiRole.Write);
        Console.WriteLine($"ready {address} {key.Key}");
        while (await Console.In.ReadLineAsync() is { } line && line != "quit")
        {
            if (line == "gc")
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
            }

            using var self = System.Diagnostics.Process.GetCurrentProcess();
            Console.WriteLine($"mem {self.WorkingSet64} {GC.GetTotalMemory(false)} {System.Threading.ThreadPool.ThreadCount}");
        }

        await app.StopAsync();
        await app.DisposeAsync();
        return 0;
    }
}
