using System.Diagnostics;
using Eventuali.Conformance;
using Eventuali.Projections;

namespace Eventuali.PostgreSql.Tests;

/// <summary>
/// Child-process side of the failover test: runs a projection daemon (node name from the arguments) on a store
/// and prints "leader" when this node takes the projection. Runs until killed or its standard input closes.
/// </summary>
internal static class ProjectionWorker
{
    public const string Argument = "--projection-worker";

    public static async Task<int> RunAsync(string[] args)
    {
        var (url, node) = (args[1], args[2]);
        await using var store = await PostgreSqlEventStore.OpenAsync(url, EventStoreOptions.Default, CancellationToken.None);
        var options = new ProjectionDaemonOptions { NodeId = node, BatchSize = 20, PollInterval = TimeSpan.FromMilliseconds(20), LeaseRetryInterval = TimeSpan.FromMilliseconds(250) };
        await using var daemon = new ProjectionDaemon(store, [new CountingProjection()], options);
        await daemon.StartAsync(CancellationToken.None);
        Console.WriteLine("started");
        var stdinClosed = Task.Run(() => Console.In.ReadToEnd());
        var announced = false;
        while (!stdinClosed.IsCompleted)
        {
            if (!announced && daemon.IsLeader("accounts"))
            {
                Console.WriteLine("leader");
                announced = true;
            }

            await Task.Delay(20);
        }

        await daemon.StopAsync(CancellationToken.None);
        return 0;
    }

    public static Process Start(string url, string node)
    {
        var dll = typeof(ProjectionWorker).Assembly.Location;
        var appHost = Path.ChangeExtension(dll, null);
        var info = File.Exists(appHost) ? new ProcessStartInfo(appHost) : new ProcessStartInfo("dotnet") { ArgumentList = { dll } };
        foreach (var arg in new[] { Argument, url, node })
        {
            info.ArgumentList.Add(arg);
        }

        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        return Process.Start(info)!;
    }
}
