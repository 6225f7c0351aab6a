using Eventuali.Inbox;
using Eventuali.Projections;

namespace Eventuali.Sqlite;

/// <summary>The inbox (table <c>inbox</c>, migration 014): message ids recorded in the handler's projection transaction.</summary>
public sealed partial class SqliteEventStore : IMessageInboxStore
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> InboxSql = new(() => SqlFile.Load("inbox.sql"));

    /// <inheritdoc />
    public ValueTask<bool> TryRecordMessageAsync(IProjectionTransaction transaction, string inbox, string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        InboxValidation.Validate(inbox, messageId);
        cancellationToken.ThrowIfCancellationRequested();
        var context = transaction.Backend as SqliteProjectionContext
            ?? throw new ArgumentException("The inbox of a SQLite store is written in a transaction of that store's projection lease.", nameof(transaction));
        using var command = context.CreateCommand();
        command.CommandText = InboxSql.Value["inbox_record"];
        command.Parameters.AddWithValue("?1", inbox);
        command.Parameters.AddWithValue("?2", messageId);
        command.Parameters.AddWithValue("?3", EventRow.ToUnixMicroseconds(AppendValidation.Stamp(Options.TimeProvider)));
        return ValueTask.FromResult(command.ExecuteNonQuery() == 1);
    }

    /// <inheritdoc />
    public ValueTask<long> ExpireMessagesAsync(IProjectionTransaction transaction, string inbox, DateTimeOffset handledBefore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ProjectionNames.Validate(inbox);
        cancellationToken.ThrowIfCancellationRequested();
        var context = transaction.Backend as SqliteProjectionContext
            ?? throw new ArgumentException("The inbox of a SQLite store is written in a transaction of that store's projection lease.", nameof(transaction));
        using var command = context.CreateCommand();
        command.CommandText = InboxSql.Value["inbox_expire"];
        command.Parameters.AddWithValue("?1", inbox);
        command.Parameters.AddWithValue("?2", EventRow.ToUnixMicroseconds(handledBefore));
        return ValueTask.FromResult((long)command.ExecuteNonQuery());
    }

    /// <inheritdoc />
    public ValueTask<long> CountMessagesAsync(string inbox, CancellationToken cancellationToken = default)
    {
        ProjectionNames.Validate(inbox);
        return ValueTask.FromResult(RunCheckpoint(
            connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = InboxSql.Value["inbox_count"];
                command.Parameters.AddWithValue("?1", inbox);
                return (long)command.ExecuteScalar()!;
            },
            cancellationToken));
    }
}
