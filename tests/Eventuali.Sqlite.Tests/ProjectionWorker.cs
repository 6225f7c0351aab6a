using System.Diagnostics;
using Eventuali.Conformance;
using Eventuali.Projections;

namespace Eventuali.Sqlite.Tests;

/// <summary>
/// Child-process side of the projection crash test: runs a daemon whose projection blocks in the middle of a
/// batch after a given number of events (its transaction open), prints "holding", and waits to be killed.
/// </summary>
internal static class ProjectionWorker
{
    public const string Argument = "--projection-worker";

    public static async Task<int> RunAsync(string[] args)
    {
        var (path, holdAfter) = (args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
        await using var store = await SqliteEventStore.OpenAsync(path, EventStoreOptions.Default, CancellationToken.None);
        var projection = new CountingProjection { HoldAfter = holdAfter };
        await using var daemon = new ProjectionDaemon(store, [projection], new ProjectionDaemonOptions { NodeId = "doomed", BatchSize = 7 });
        await daemon.StartAsync(CancellationToken.None);
        await projection.Holding.Task;
        Console.WriteLine("holding");
        await Task.Delay(Timeout.Infinite);
        return 0;
    }

    public static Process Start(string path, int holdAfter)
    {
        var dll = typeof(ProjectionWorker).Assembly.Location;
        var appHost = Path.ChangeExtension(dll, null);
        var info = File.Exists(appHost) ? new ProcessStartInfo(appHost) : new ProcessStartInfo("dotnet") { ArgumentList = { dll } };
        foreach (var arg in new[] { Argument, path, holdAfter.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        return Process.Start(info)!;
    }
}
