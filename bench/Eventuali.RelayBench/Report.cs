using static Eventuali.RelayBench.Stats;

namespace Eventuali.RelayBench;

/// <summary>The summary: medians of the runs per broker, against the targets.</summary>
internal static class Report
{
    /// <summary>Relay events/s each broker should reach with batching (RabbitMQ with publisher confirms).</summary>
    private static double ThroughputTarget(string broker) => broker == "rabbitmq" ? 20_000 : 50_000;

    private const double LatencyP99TargetMs = 20;

    public static void Print(List<(string Broker, ThroughputResult[] Runs)> throughput, List<(string Broker, LatencyResult[] Runs)> latency, int runs)
    {
        if (throughput.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine($"throughput, medians of {runs} runs");
            Console.WriteLine("| broker | relay events/s | raw publish events/s | relay / raw | CPU us/event relay / raw | broker CPU us/event relay / raw | target | |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|");
            foreach (var (broker, results) in throughput)
            {
                var relay = Median(results.Select(r => r.RelayRate));
                var target = ThroughputTarget(broker);
                Console.WriteLine(Format($"| {broker} | {relay:N0} | {Median(results.Select(r => r.RawRate)):N0} | {Median(results.Select(r => r.Ratio)):P0} | {Median(results.Select(r => r.RelayCpuMicros)):F1} / {Median(results.Select(r => r.RawCpuMicros)):F1} | {Median(results.Select(r => r.BrokerRelayMicros)):F1} / {Median(results.Select(r => r.BrokerRawMicros)):F1} | {target:N0} | {(relay >= target ? "met" : "MISSED")} |"));
            }
        }

        if (latency.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine($"latency, append commit -> consumer handler, medians of {runs} runs");
            Console.WriteLine("| broker | p50 ms | p99 ms | max ms | commit -> confirm p50 / p99 ms | target p99 | |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---|");
            foreach (var (broker, results) in latency)
            {
                var p99 = Median(results.Select(r => r.P99));
                Console.WriteLine(Format($"| {broker} | {Median(results.Select(r => r.P50)):F2} | {p99:F2} | {Median(results.Select(r => r.Max)):F1} | {Median(results.Select(r => r.RelayP50)):F2} / {Median(results.Select(r => r.RelayP99)):F2} | {LatencyP99TargetMs} | {(p99 < LatencyP99TargetMs ? "met" : "MISSED")} |"));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"load average now {LoadAverage()}");
    }
}
