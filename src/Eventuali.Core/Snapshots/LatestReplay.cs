using Eventuali.Typed;

namespace Eventuali.Snapshots;

/// <summary>
/// The one-read load of an aggregate's latest state when no snapshot can apply: the live stream read from version 1
/// is its whole history when it starts at version 1 with no gap, so the version need not be asked for first (one
/// round trip instead of two on a server). Anything else (no events, a truncated or archived start, a gap) is left to
/// the version-first load, which tells an absent stream from a truncated one.
/// </summary>
internal static class LatestReplay
{
    /// <summary>Whether a load of <paramref name="asOf"/> into <paramref name="aggregateType"/> may try <see cref="TryReplayAsync"/>.</summary>
    public static bool Applies(IEventStore store, Type aggregateType, AsOf asOf)
        => asOf.Kind == AsOfKind.Latest && (SnapshotShape.Of(aggregateType) is null || store.GetFeature<ISnapshotStore>() is null);

    /// <summary>
    /// Replays the stream into <paramref name="aggregate"/>; returns the last version applied, or 0 when the read did not
    /// start at version 1 or had a gap (the aggregate is then partly applied and must be discarded).
    /// </summary>
    public static async ValueTask<long> TryReplayAsync(IEventStore store, EventTypeRegistry types, Aggregate aggregate, string streamId, ReplayTail tail, CancellationToken ct)
    {
        long next = 1;
        await foreach (var recorded in store.ReadStreamAsync(streamId, StreamVersion.Start, cancellationToken: ct).ConfigureAwait(false))
        {
            if (recorded.StreamVersion != next)
            {
                return 0;
            }

            aggregate.Replay(types.Deserialize(recorded), recorded.StreamVersion);
            tail.Position = recorded.Position;
            next++;
        }

        return next - 1;
    }
}
