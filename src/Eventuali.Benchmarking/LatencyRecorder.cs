using System.Diagnostics;

namespace Eventuali.Benchmarking;

/// <summary>Collects one elapsed-time sample per operation (Stopwatch ticks) and reports percentiles.</summary>
internal sealed class LatencyRecorder(int expectedSamples)
{
    // Pre-sized for the common case only: the list grows as samples arrive, so a huge expected count never allocates up front.
    private readonly List<long> _ticks = new(Math.Clamp(expectedSamples, 16, 1 << 20));

    public int Count => _ticks.Count;

    public void Add(long startTimestamp, long endTimestamp) => _ticks.Add(endTimestamp - startTimestamp);

    public void AddAll(LatencyRecorder other) => _ticks.AddRange(other._ticks);

    /// <summary>Nearest-rank percentile in milliseconds (0 when nothing was recorded).</summary>
    public static double PercentileMilliseconds(long[] sorted, double percentile)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length);
        var index = Math.Clamp(rank - 1, 0, sorted.Length - 1);
        return sorted[index] * 1000.0 / Stopwatch.Frequency;
    }

    /// <summary>Mean in milliseconds (0 when nothing was recorded).</summary>
    public static double MeanMilliseconds(long[] samples)
        => samples.Length == 0 ? 0 : samples.Average(t => (double)t) * 1000.0 / Stopwatch.Frequency;

    public long[] ToSortedArray()
    {
        var copy = _ticks.ToArray();
        Array.Sort(copy);
        return copy;
    }
}
