using System.Diagnostics;
using Eventuali.Conformance;
using Eventuali.Projections;

namespace Eventuali.PostgreSql.Tests;

/// <summary>
/// Child-process side of the failover tests: runs a projection daemon (node name, lease duration in ms and "hold"
/// from the arguments) on a store and prints "started", "leader" when this node takes the projection, "lost" when
/// it loses the lease and "fenced" when a late commit of it was refused. With "hold" the first event applied waits
/// for a "continue" line on standard input (a node stuck mid-batch). Runs until killed or its standard input closes.
/// </summary>
internal static class ProjectionWorker
{
    public const string Argument = "--projection-worker";

    public static async Task<int> RunAsync(string[] args)
    {
        var (url, node) = (args[1], args[2]);
        var leaseMs = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 8000;
        var hold = args.Length > 4 && args[4] == "hold";
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var store = await PostgreSqlEventStore.OpenAsync(url, EventStoreOptions.Default, CancellationToken.None);
        var options = new ProjectionDaemonOptions
        {
            NodeId = node, BatchSize = 20, PollInterval = TimeSpan.FromMilliseconds(20), LeaseRetryInterval = TimeSpan.FromMilliseconds(250),
            Lease = new LeaseOptions { Duration = TimeSpan.FromMilliseconds(leaseMs) },
        };
        var projection = new CountingProjection
        {
            HoldOnce = hold ? async () => { Console.WriteLine("holding"); await released.Task; } : null,
        };
        await using var daemon = new ProjectionDaemon(store, [projection], options);
        daemon.LeaseChanged += (_, change) =>
        {
            if (change.Change == ProjectionLeaseChange.Lost)
            {
                Console.WriteLine(change.Error is LeaseLostException { CommitRefused: true } ? "fenced" : "lost");
            }
        };
        await daemon.StartAsync(CancellationToken.None);
        Console.WriteLine("started");
        var input = Task.Run(async () =>
        {
            while (Console.ReadLine() is { } line)
            {
                if (line == "continue")
                {
                    released.TrySetResult();
                }
            }
        });
        var announced = false;
        while (!input.IsCompleted)
        {
            var leader = daemon.IsLeader("accounts");
            if (leader != announced)
            {
                Console.WriteLine(leader ? "leader" : "standby");
                announced = leader;
            }

            await Task.Delay(20);
        }

        released.TrySetResult();
        await daemon.StopAsync(CancellationToken.None);
        return 0;
    }

    public static Process Start(string url, string node, int leaseMs = 8000, bool hold = false)
    {
        var dll = typeof(ProjectionWorker).Assembly.Location;
        var appHost = Path.ChangeExtension(dll, null);
        var info = File.Exists(appHost) ? new ProcessStartInfo(appHost) : new ProcessStartInfo("dotnet") { ArgumentList = { dll } };
        foreach (var arg in new[] { Argument, url, node, leaseMs.ToString(System.Globalization.CultureInfo.InvariantCulture), hold ? "hold" : "run" })
        {
            info.ArgumentList.Add(arg);
        }

        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        return Process.Start(info)!;
    }

    /// <summary>Sends a signal (STOP, CONT) to a child process with the system's kill command.</summary>
    public static async Task SignalAsync(Process process, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {process.Id} failed with exit code {kill.ExitCode}");
        }
    }
}
