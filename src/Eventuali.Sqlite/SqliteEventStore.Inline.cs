using Eventuali.Projections;

namespace Eventuali.Sqlite;

/// <summary>
/// Inline projections on SQLite: the writer runs them right after an append's inserts, inside that append's
/// savepoint of the group-commit transaction, on the writer's own connection.
/// </summary>
public sealed partial class SqliteEventStore : IInlineProjectionStore
{
    private InlineProjectionSet? _inline;

    /// <inheritdoc />
    public ValueTask AddInlineProjectionAsync(Projection projection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projection);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writerConnection)
        {
            var set = InlineProjectionSet.With(_inline, projection);
            if (!Location.IsMemory)
            {
                // The row shows in the status from now on, starting at the current head.
                using var connection = SqliteProjectionDb.Open(Location);
                SqliteProjectionDb.Execute(connection, null, "inline_register", projection.Name, _readers.Run(static s => s.HeadPosition(), cancellationToken),
                    SqliteProjectionDb.Micros(Options.TimeProvider.GetUtcNow()));
            }

            Volatile.Write(ref _inline, set);
            _writer.Inline ??= RunInline;
        }

        return ValueTask.CompletedTask;
    }

    // Called by the writer, inside the append's savepoint, only for appends that wrote.
    private void RunInline(PendingAppend append, AppendResult result)
    {
        var inline = Volatile.Read(ref _inline)!;
        var events = append.Events;
        if (!inline.AnyHandles(append.StreamId, events))
        {
            return;
        }

        var first = result.LastPosition - events.Count + 1;
        long micros;
        using (var command = SqliteProjectionDb.Command(_writerConnection, null, "event_timestamp", first))
        {
            micros = (long)command.ExecuteScalar()!;
        }

        var timestamp = EventRow.FromUnixMicroseconds(micros);
        var records = new RecordedEvent[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            records[i] = new RecordedEvent(append.StreamId, result.StreamVersion - events.Count + 1 + i, first + i, e.EventId, e.EventType, e.Data, e.Metadata, timestamp, e.ContentType);
        }

        inline.Run(records, p => new SqliteProjectionTransaction(p.Name, "inline", Options.TimeProvider, _writerConnection, null));
    }
}
