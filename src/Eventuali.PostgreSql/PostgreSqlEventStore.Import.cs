using Eventuali.Import;

namespace Eventuali.PostgreSql;

public sealed partial class PostgreSqlEventStore : IEventImporter
{
    /// <summary>An append through the same function and group commit as <see cref="AppendAsync"/>, recording <paramref name="timestamp"/>.</summary>
    public async ValueTask<AppendResult> ImportAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, DateTimeOffset timestamp, CancellationToken cancellationToken = default)
    {
        AppendValidation.Validate(streamId, events);
        if (events.Count > PendingAppend.MaxEventsPerTransaction)
        {
            throw new ArgumentException(
                $"Import to stream '{streamId}' has {events.Count} events; PostgreSQL appends take at most {PendingAppend.MaxEventsPerTransaction} events each.", nameof(events));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingAppend(streamId, expectedVersion, events, ImportValidation.Normalize(timestamp));
        var result = await _committer.AppendAsync(pending, cancellationToken).ConfigureAwait(false);
        _visibility.Acknowledged(result.LastPosition);
        _replicas?.Observe(result.LastPosition);
        return result;
    }
}
