using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Eventuali.Diagnostics;

internal enum ConsumerKind
{
    Subscription,
    Projection,
    Relay,
}

/// <summary>
/// A running consumer's lag, as its own loop last measured it; read by the lag gauges when a listener collects.
/// Written with plain 64-bit volatile stores: the loop never waits for a reader.
/// </summary>
internal sealed class ConsumerLag : IDisposable
{
    private static readonly ConcurrentDictionary<ConsumerLag, byte> Running = new();

    private readonly ConsumerKind _kind;
    private readonly KeyValuePair<string, object?> _tag;
    private long _events;
    private long _ticks;

    private ConsumerLag(ConsumerKind kind, string name)
    {
        _kind = kind;
        _tag = new(kind switch { ConsumerKind.Subscription => EventualiAttributes.SubscriptionName, ConsumerKind.Relay => EventualiAttributes.RelayRoute, _ => EventualiAttributes.ProjectionName }, name);
    }

    /// <summary>Starts reporting a consumer's lag until disposed.</summary>
    public static ConsumerLag Start(ConsumerKind kind, string name)
    {
        var lag = new ConsumerLag(kind, name);
        Running.TryAdd(lag, 0);
        return lag;
    }

    /// <summary>Records the lag measured now.</summary>
    public void Set(long events, TimeSpan time)
    {
        Volatile.Write(ref _events, Math.Max(0, events));
        Volatile.Write(ref _ticks, Math.Max(0, time.Ticks));
    }

    public void Dispose() => Running.TryRemove(this, out _);

    public static IEnumerable<Measurement<long>> Events(ConsumerKind kind)
    {
        foreach (var lag in Running.Keys)
        {
            if (lag._kind == kind)
            {
                yield return new Measurement<long>(Volatile.Read(ref lag._events), lag._tag);
            }
        }
    }

    public static IEnumerable<Measurement<double>> Seconds(ConsumerKind kind)
    {
        foreach (var lag in Running.Keys)
        {
            if (lag._kind == kind)
            {
                yield return new Measurement<double>(TimeSpan.FromTicks(Volatile.Read(ref lag._ticks)).TotalSeconds, lag._tag);
            }
        }
    }
}
