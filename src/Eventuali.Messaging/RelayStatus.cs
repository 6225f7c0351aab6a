using Eventuali.Projections;

namespace Eventuali.Messaging;

/// <summary>A route's confirmed checkpoint against the head of the log.</summary>
/// <param name="Route">The route's name.</param>
/// <param name="Position">The last position the broker confirmed (everything up to it is published).</param>
/// <param name="HeadPosition">The head of the log when read.</param>
/// <param name="Owner">The node that last held the route's lease.</param>
/// <param name="UpdatedAt">When the checkpoint last moved.</param>
public sealed record RelayStatus(string Route, long Position, long HeadPosition, string? Owner, DateTimeOffset UpdatedAt)
{
    /// <summary>Positions between the checkpoint and the head (an upper bound on the events still to publish).</summary>
    public long Lag => Math.Max(0, HeadPosition - Position);

    /// <summary>The status of every route that has ever run on <paramref name="store"/>, by name.</summary>
    public static async ValueTask<IReadOnlyList<RelayStatus>> ListAsync(IEventStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var projections = store.GetFeature<IProjectionStore>()
            ?? throw new NotSupportedException($"The store type {store.GetType().FullName} keeps no leases or checkpoints for relays (it does not implement {nameof(IProjectionStore)}).");
        var head = await store.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await projections.ListProjectionsAsync(cancellationToken).ConfigureAwait(false);
        return rows.Where(r => r.Name.StartsWith(RelayRoute.LeaseName("x")[..^1], StringComparison.Ordinal))
            .Select(r => new RelayStatus(r.Name["relay-".Length..], r.Position, head, r.Owner, r.UpdatedAt))
            .ToList();
    }
}
