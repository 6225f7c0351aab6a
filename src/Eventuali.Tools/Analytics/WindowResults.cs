namespace Eventuali.Tools.Analytics;

/// <summary>What one key's events in one window add up to.</summary>
/// <param name="Count">How many events.</param>
/// <param name="Sum">The sum of their values.</param>
/// <param name="Min">The smallest value.</param>
/// <param name="Max">The largest value.</param>
public readonly record struct WindowAggregate(long Count, double Sum, double Min, double Max)
{
    /// <summary>The mean value (NaN for an empty aggregate).</summary>
    public double Average => Count == 0 ? double.NaN : Sum / Count;

    internal WindowAggregate Add(double value)
        => Count == 0 ? new(1, value, value, value) : new(Count + 1, Sum + value, Math.Min(Min, value), Math.Max(Max, value));
}

/// <summary>A window the watermark has passed: its aggregates per key are final.</summary>
/// <typeparam name="TKey">What events are grouped by (e.g. the stream category).</typeparam>
/// <param name="Start">The window's first instant (inclusive).</param>
/// <param name="End">The window's end (exclusive).</param>
/// <param name="Aggregates">The aggregate of each key that had events in the window.</param>
public sealed record ClosedWindow<TKey>(DateTimeOffset Start, DateTimeOffset End, IReadOnlyDictionary<TKey, WindowAggregate> Aggregates)
    where TKey : notnull;
