using System.Diagnostics;

namespace Eventuali.MartenComparison;

/// <summary>One workload's figures, in the shape `eventuali benchmark --json` prints.</summary>
public sealed record Measurement(string Workload, string Store, long Events, double Seconds, double P50Ms, double P99Ms)
{
    public double EventsPerSec => Events / Seconds;
}

/// <summary>Times a sequence of operations and keeps each one's latency.</summary>
internal sealed class Timer
{
    private readonly List<double> _latencies = [];
    private readonly Stopwatch _total = Stopwatch.StartNew();

    public async Task TimeAsync(Func<Task> operation)
    {
        var started = Stopwatch.GetTimestamp();
        await operation().ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        lock (_latencies)
        {
            _latencies.Add(elapsed);
        }
    }

    public Measurement Finish(string workload, string store, long events)
    {
        _total.Stop();
        _latencies.Sort();
        return new Measurement(workload, store, events, _total.Elapsed.TotalSeconds, Percentile(0.50), Percentile(0.99));
    }

    private double Percentile(double p) => _latencies.Count == 0 ? 0 : _latencies[Math.Min(_latencies.Count - 1, (int)Math.Ceiling(p * _latencies.Count) - 1)];
}
