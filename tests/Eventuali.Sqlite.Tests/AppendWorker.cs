using System.Diagnostics;

namespace Eventuali.Sqlite.Tests;

/// <summary>
/// Child-process side of the multi-process test: appends to a shared stream (any version) and to
/// its own stream (exact versions), printing each event id only after its append returned, and its start (S) and end (E) times.
/// </summary>
internal static class AppendWorker
{
    public const string Argument = "--append-worker";

    public static async Task<int> RunAsync(string[] args)
    {
        var (path, name, count) = (args[1], args[2], int.Parse(args[3]));
        var options = new EventStoreOptions { Durability = Durability.Relaxed };
        Console.WriteLine($"S {TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds()}");
        await using var store = await SqliteEventStore.OpenAsync(path, options, CancellationToken.None);
        for (var i = 0; i < count; i++)
        {
            var shared = new[] { EventData.Json("Shared", $$"""{"worker":"{{name}}","i":{{i}}}"""), EventData.Json("Shared", "{}") };
            await store.AppendAsync("shared-1", ExpectedVersion.Any, shared);
            Console.WriteLine($"{shared[0].EventId} {shared[1].EventId}");
            var own = EventData.Json("Own", $$"""{"i":{{i}}}""");
            await store.AppendAsync($"own-{name}", ExpectedVersion.Exact(i), [own]);
            Console.WriteLine(own.EventId);
        }

        Console.WriteLine($"E {TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds()}");
        return 0;
    }

    /// <summary>Starts this test executable as a worker process.</summary>
    public static Process Start(string path, string name, int count)
    {
        var dll = typeof(AppendWorker).Assembly.Location;
        var appHost = Path.ChangeExtension(dll, null);
        var info = File.Exists(appHost) ? new ProcessStartInfo(appHost) : new ProcessStartInfo("dotnet") { ArgumentList = { dll } };
        foreach (var arg in new[] { Argument, path, name, count.ToString() })
        {
            info.ArgumentList.Add(arg);
        }

        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        return Process.Start(info)!;
    }
}
