using static Eventuali.ServerBench.Stats;

namespace Eventuali.ServerBench;

/// <summary>The summary tables: medians of the rounds, memory as sampled, the load average at the end.</summary>
internal static class Report
{
    private static string Mb(long bytes) => F($"{bytes / 1048576.0:F0}");

    public static void Print(List<AppendBench.Result> appends, List<SseBench.Result> sse, List<FanoutBench.Result> fanout, int runs, int writers)
    {
        Console.WriteLine();
        Console.WriteLine(F($"append of 50-event batches, {writers} writers, medians of {runs} rounds (target: HTTP at least 50% of in-process on PostgreSQL)"));
        Console.WriteLine("| store | HTTP events/s | in-process events/s | HTTP / in-process |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var a in appends)
        {
            Console.WriteLine(F($"| {a.Store} | {a.Http:N0} | {a.InProcess:N0} | {a.Ratio:P0} |"));
        }

        Console.WriteLine();
        Console.WriteLine("SSE to one client, every frame parsed (target: at least 100,000 events/s)");
        Console.WriteLine("| store | catch-up events | SSE catch-up events/s | MB/s | in-process catch-up events/s | SSE / in-process | live events | live delivered events/s | live HTTP append events/s |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in sse)
        {
            Console.WriteLine(F($"| {s.Store} | {s.Events:N0} | {s.CatchUp:N0} | {s.MegabytesPerSecond:F1} | {s.InProcess:N0} | {s.CatchUp / s.InProcess:P0} | {s.LiveEvents:N0} | {s.Live:N0} | {s.LiveAppend:N0} |"));
        }

        Console.WriteLine();
        Console.WriteLine("SSE clients on one server, one HTTP writer; server memory in MB, working set / GC heap (live heap after a full GC where marked *)");
        Console.WriteLine("| store | clients | events each | deliveries/s | before* | connected* | at half | at end | peak working set | delivered* | disconnected* |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var f in fanout)
        {
            static string M(Memory m) => $"{Mb(m.WorkingSet)} / {Mb(m.Heap)}";
            Console.WriteLine(F($"| {f.Store} | {f.Clients:N0} | {f.Events:N0} | {f.Deliveries:N0} | {M(f.Before)} | {M(f.Connected)} | {M(f.Half)} | {M(f.End)} | {Mb(f.PeakDuring.WorkingSet)} | {M(f.AfterDelivered)} | {M(f.AfterDisconnect)} |"));
        }

        Console.WriteLine();
        Console.WriteLine($"load average now {LoadAverage()}");
    }
}
