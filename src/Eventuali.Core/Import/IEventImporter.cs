namespace Eventuali.Import;

/// <summary>
/// Writes events that were first recorded elsewhere, keeping the time they were first written:
/// for moving a log between stores (export/import, backups, migrations between backends).
/// </summary>
public interface IEventImporter
{
    /// <summary>
    /// Appends <paramref name="events"/> exactly as <see cref="IEventStore.AppendAsync"/> does (same argument checks,
    /// idempotent retry, expected-version check, all or none), but every event gets <paramref name="timestamp"/>
    /// (kept to the microsecond, in UTC) instead of the store clock's time. Positions are assigned by this store.
    /// Importing events at their original versions (<c>ExpectedVersion.Exact(first version - 1)</c>) makes a repeated
    /// import of the same events return the original result and write nothing.
    /// </summary>
    ValueTask<AppendResult> ImportAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, DateTimeOffset timestamp, CancellationToken cancellationToken = default);
}
