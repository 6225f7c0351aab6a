using System.Collections.Frozen;
using Eventuali.Inbox;
using Eventuali.Projections;
using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>The inbox (table <c>inbox</c>, migration 014): message ids recorded in the handler's projection transaction.</summary>
public sealed partial class PostgreSqlEventStore : IMessageInboxStore
{
    private FrozenDictionary<string, string>? _inboxSql;

    private FrozenDictionary<string, string> InboxSql => _inboxSql ??= SqlFile.Load("inbox.sql", _settings);

    /// <inheritdoc />
    public async ValueTask<bool> TryRecordMessageAsync(IProjectionTransaction transaction, string inbox, string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        InboxValidation.Validate(inbox, messageId);
        var context = transaction.Backend as PostgreSqlProjectionContext
            ?? throw new ArgumentException("The inbox of a PostgreSQL store is written in a transaction of that store's projection lease.", nameof(transaction));
        var command = context.CreateCommand(InboxSql["inbox_record"]);
        await using var _ = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = inbox, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = messageId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = AppendValidation.Stamp(Options.TimeProvider), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<long> ExpireMessagesAsync(IProjectionTransaction transaction, string inbox, DateTimeOffset handledBefore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ProjectionNames.Validate(inbox);
        var context = transaction.Backend as PostgreSqlProjectionContext
            ?? throw new ArgumentException("The inbox of a PostgreSQL store is written in a transaction of that store's projection lease.", nameof(transaction));
        var command = context.CreateCommand(InboxSql["inbox_expire"]);
        await using var _ = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = inbox, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = handledBefore.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<long> CountMessagesAsync(string inbox, CancellationToken cancellationToken = default)
    {
        ProjectionNames.Validate(inbox);
        var found = await ScalarAsync(InboxSql["inbox_count"], cancellationToken,
            new NpgsqlParameter<string> { TypedValue = inbox, NpgsqlDbType = NpgsqlDbType.Text }).ConfigureAwait(false);
        return found is long count ? count : 0;
    }
}
