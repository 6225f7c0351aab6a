using System.Runtime.CompilerServices;

namespace Eventuali.Snapshots;

/// <summary>Turns an <see cref="AsOf"/> point into a stream version, through <see cref="IStreamTimeline"/> when the store has it.</summary>
internal static class StreamTimelines
{
    /// <summary>The highest version the point includes; <see cref="long.MaxValue"/> for <see cref="AsOf.Latest"/>.</summary>
    public static async ValueTask<long> ResolveAsync(IEventStore store, string streamId, AsOf asOf, CancellationToken ct)
    {
        var timeline = store.GetFeature<IStreamTimeline>();
        switch (asOf.Kind)
        {
            case AsOfKind.Version:
                return asOf.Value;
            case AsOfKind.Time when timeline is not null:
                return await timeline.GetVersionAtTimeAsync(streamId, asOf.Time, ct).ConfigureAwait(false);
            case AsOfKind.Position when timeline is not null:
                return await timeline.GetVersionAtPositionAsync(streamId, asOf.Value, ct).ConfigureAwait(false);
            case AsOfKind.Time or AsOfKind.Position:
                return await ScanAsync(store, streamId, asOf, ct).ConfigureAwait(false);
            default:
                return long.MaxValue;
        }
    }

    /// <summary>The events of a stream stamped in [<paramref name="from"/>, <paramref name="to"/>), in version order.</summary>
    public static async IAsyncEnumerable<RecordedEvent> ReadBetweenAsync(IEventStore store, string streamId, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken ct)
    {
        // Stamps are whole microseconds, so "before from" is "at or before from minus one tick".
        var before = from == DateTimeOffset.MinValue ? 0 : await ResolveAsync(store, streamId, AsOf.Timestamp(from.AddTicks(-1)), ct).ConfigureAwait(false);
        await foreach (var e in store.ReadStreamAsync(streamId, before + 1, cancellationToken: ct).ConfigureAwait(false))
        {
            if (e.Timestamp >= to)
            {
                yield break;
            }

            if (e.Timestamp >= from)
            {
                yield return e;
            }
        }
    }

    // For stores without an index to ask: read the stream once, keeping only the answer.
    private static async ValueTask<long> ScanAsync(IEventStore store, string streamId, AsOf asOf, CancellationToken ct)
    {
        long version = 0;
        await foreach (var e in store.ReadStreamAsync(streamId, cancellationToken: ct).ConfigureAwait(false))
        {
            var inside = asOf.Kind == AsOfKind.Time ? e.Timestamp <= asOf.Time : e.Position <= asOf.Value;
            if (inside)
            {
                version = e.StreamVersion;
            }
        }

        return version;
    }
}
