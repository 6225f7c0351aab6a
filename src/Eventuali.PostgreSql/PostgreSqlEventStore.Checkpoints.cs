using Eventuali.Subscriptions;
using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>Checkpoints in the store's schema (table <c>checkpoints</c>, migration 002), one upsert per save.</summary>
public sealed partial class PostgreSqlEventStore : ICheckpointStore
{
    private CheckpointSql? _checkpointSql;

    private CheckpointSql CheckpointStatements => _checkpointSql ??= new CheckpointSql(_settings);

    /// <inheritdoc />
    public async ValueTask<long?> LoadCheckpointAsync(string name, CancellationToken cancellationToken = default)
    {
        CheckpointNames.Validate(name);
        var found = await ScalarAsync(CheckpointStatements.Load, cancellationToken,
            new NpgsqlParameter<string> { TypedValue = name, NpgsqlDbType = NpgsqlDbType.Text }).ConfigureAwait(false);
        return found is long position ? position : null;
    }

    /// <inheritdoc />
    public async ValueTask SaveCheckpointAsync(string name, long position, CancellationToken cancellationToken = default)
    {
        CheckpointNames.Validate(name, position);
        await ScalarAsync(CheckpointStatements.Save, cancellationToken,
            new NpgsqlParameter<string> { TypedValue = name, NpgsqlDbType = NpgsqlDbType.Text },
            new NpgsqlParameter<long> { TypedValue = position, NpgsqlDbType = NpgsqlDbType.Bigint },
            new NpgsqlParameter<DateTimeOffset> { TypedValue = AppendValidation.Stamp(Options.TimeProvider), NpgsqlDbType = NpgsqlDbType.TimestampTz }).ConfigureAwait(false);
    }
}
