using System.Diagnostics;
using Eventuali.Projections;

namespace Eventuali.ScaleBench;

/// <summary>
/// One node: a separate OS process running the projection daemon. It opens the store, prints "ready", starts the
/// daemon when it reads "go" on standard input, and stops when standard input closes.
/// </summary>
internal static class Node
{
    public static async Task<int> RunAsync(string url, string projection, string node, TimeSpan lease, TimeSpan retry, int rounds)
    {
        await using var store = await EventStore.CreateAsync(url, EventStoreOptions.Default);
        var options = new ProjectionDaemonOptions { NodeId = node, LeaseRetryInterval = retry, Lease = new LeaseOptions { Duration = lease } };
        await using var daemon = new ProjectionDaemon(store, [new BenchProjection(projection, rounds)], options);
        Console.WriteLine("ready");
        if (Console.ReadLine() != "go")
        {
            return 1;
        }

        var startup = Process.GetCurrentProcess().TotalProcessorTime;
        await daemon.StartAsync();
        await Task.Run(() => Console.In.ReadToEnd());
        await daemon.StopAsync();
        // CPU after "go" only: starting the runtime and opening the store happen before the clock starts.
        Console.WriteLine($"cpu {(Process.GetCurrentProcess().TotalProcessorTime - startup).TotalSeconds:F2}");
        return 0;
    }

    /// <summary>
    /// Starts this program again as a node process and waits until it has opened the store. With <paramref name="cpu"/>
    /// the node runs on that one core only (<c>taskset</c>, set before the runtime starts, so it sizes its thread pool
    /// for one core): a node with a machine of its own, on a machine that has only a few.
    /// </summary>
    public static async Task<Process> StartAsync(string url, string projection, string node, TimeSpan lease, TimeSpan retry, int? cpu = null, int rounds = 0)
    {
        var dll = typeof(Node).Assembly.Location;
        var appHost = Path.ChangeExtension(dll, null);
        string[] command = File.Exists(appHost) ? [appHost] : ["dotnet", dll];
        if (cpu is { } core)
        {
            command = ["taskset", "-c", core.ToString(System.Globalization.CultureInfo.InvariantCulture), .. command];
        }

        var info = new ProcessStartInfo(command[0]);
        foreach (var arg in command.Skip(1).Concat(["node", url, projection, node, Seconds(lease), Seconds(retry), rounds.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            info.ArgumentList.Add(arg);
        }

        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.UseShellExecute = false;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start node {node}.");
        var first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (first != "ready")
        {
            throw new InvalidOperationException($"Node {node} did not start: {first ?? "(no output)"}");
        }

        return process;
    }

    public static void Go(Process node) => node.StandardInput.WriteLine("go");

    /// <summary>Stops a node cleanly (its leases are released) and returns its last output line (its CPU time); kills it if it does not stop within 30 s.</summary>
    public static string Stop(Process node)
    {
        var last = "";
        if (!node.HasExited)
        {
            node.StandardInput.Close();
            var output = Task.Run(() => node.StandardOutput.ReadToEnd());
            if (!node.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                node.Kill();
            }
            else
            {
                last = output.Wait(TimeSpan.FromSeconds(5)) ? output.Result.Trim() : "";
            }
        }

        node.Dispose();
        return last;
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
