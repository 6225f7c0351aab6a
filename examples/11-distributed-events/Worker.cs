using System.Diagnostics;
using Eventuali;
using Eventuali.Projections;

namespace DistributedEvents;

/// <summary>One node: runs the projection daemon on the shared store and prints the partitions it runs whenever they change. Stops when its standard input closes.</summary>
internal static class Worker
{
    public static async Task<int> RunAsync(string url, string node)
    {
        await using var store = await EventStore.CreateAsync(url, EventStoreOptions.Default);
        var options = new ProjectionDaemonOptions
        {
            NodeId = node,
            BatchSize = 50,
            PollInterval = TimeSpan.FromMilliseconds(50),
            LeaseRetryInterval = TimeSpan.FromMilliseconds(200),
            Lease = new LeaseOptions { Duration = TimeSpan.FromSeconds(2) },
        };
        await using var daemon = new ProjectionDaemon(store, [new OrderTotals()], options);
        await daemon.StartAsync();
        var stdinClosed = Task.Run(() => Console.In.ReadToEnd());
        var shown = "";
        while (!stdinClosed.IsCompleted)
        {
            var now = string.Join(",", daemon.LeadPartitions(OrderTotals.ProjectionName));
            if (now != shown)
            {
                Console.WriteLine($"{node} runs partitions [{now}]");
                shown = now;
            }

            await Task.WhenAny(stdinClosed, Task.Delay(100));
        }

        await daemon.StopAsync();
        return 0;
    }

    /// <summary>Starts this program again as a worker process.</summary>
    public static Process Start(string url, string node)
    {
        var dll = typeof(Worker).Assembly.Location;
        var appHost = Path.ChangeExtension(dll, null);
        var info = File.Exists(appHost) ? new ProcessStartInfo(appHost) : new ProcessStartInfo("dotnet") { ArgumentList = { dll } };
        foreach (var arg in new[] { "worker", url, node })
        {
            info.ArgumentList.Add(arg);
        }

        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.UseShellExecute = false;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
            {
                Console.WriteLine($"  [{node}] {text}");
            }
        };
        process.BeginOutputReadLine();
        return process;
    }
}
