namespace Eventuali.Subscriptions;

/// <summary>
/// Named checkpoints kept in the same database as the events: where a subscriber has got to.
/// A checkpoint is a global-log position for a subscription to the log, or a stream version for a
/// subscription to one stream. Saving is an upsert; any value may be saved (a lower one rewinds).
/// </summary>
public interface ICheckpointStore
{
    /// <summary>The saved checkpoint, or null when <paramref name="name"/> was never saved.</summary>
    ValueTask<long?> LoadCheckpointAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="position"/> under <paramref name="name"/>, durably as the store's appends are.</summary>
    ValueTask SaveCheckpointAsync(string name, long position, CancellationToken cancellationToken = default);
}
