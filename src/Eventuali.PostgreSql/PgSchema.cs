using Eventuali.Migrations;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>Reads a store's schema version and migration history, and decides what opening it must do.</summary>
internal static class PgSchema
{
    /// <summary>
    /// Classifies the schema without changing it: refuses a store newer than this library, a modified applied
    /// migration, and pending migrations unless <paramref name="applyOnOpen"/>. An up-to-date store costs one query.
    /// </summary>
    public static async Task<OpenAction> CheckOnOpenAsync(NpgsqlConnection conn, PgSettings settings, MigrationCatalog catalog, bool applyOnOpen, CancellationToken ct)
    {
        var store = PgMigrations.Describe(settings);
        if (await TryReadFastAsync(conn, settings, ct).ConfigureAwait(false) is { } fast && MigrationLedger.Status(store, catalog, fast) is { IsUpToDate: true } status)
        {
            return MigrationLedger.OnOpen(status, applyOnOpen);
        }

        var stored = await ReadAsync(conn, settings, ct).ConfigureAwait(false);
        return MigrationLedger.OnOpen(MigrationLedger.Status(store, catalog, stored), applyOnOpen);
    }

    /// <summary>The full state (version 0 when the schema has no meta table); safe inside a transaction.</summary>
    public static async Task<StoredSchema> ReadAsync(NpgsqlConnection conn, PgSettings settings, CancellationToken ct)
    {
        bool hasMeta, hasHistory;
        var tables = new NpgsqlCommand(PgMigrations.Get("tables", settings), conn);
        await using (tables.ConfigureAwait(false))
        {
            tables.Parameters.Add(new NpgsqlParameter<string> { TypedValue = settings.Schema });
            var reader = await tables.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(ct).ConfigureAwait(false);
                (hasMeta, hasHistory) = (reader.GetBoolean(0), reader.GetBoolean(1));
            }
        }

        if (!hasMeta)
        {
            return StoredSchema.Empty;
        }

        var version = 0;
        var meta = new NpgsqlCommand(PgMigrations.Get("meta_version", settings), conn);
        await using (meta.ConfigureAwait(false))
        {
            version = await meta.ExecuteScalarAsync(ct).ConfigureAwait(false) is int v ? v : 0;
        }

        var history = new List<HistoryRow>();
        if (hasHistory)
        {
            var read = new NpgsqlCommand(PgMigrations.Get("history_read", settings), conn);
            await using (read.ConfigureAwait(false))
            {
                var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        history.Add(new HistoryRow(reader.GetInt32(0), reader.GetString(1), reader.GetString(2),
                            reader.GetFieldValue<DateTimeOffset>(3), reader.GetInt64(4)));
                    }
                }
            }
        }

        return new StoredSchema(version, hasHistory, history);
    }

    /// <summary>Version and checksums in one statement; null when meta or history is missing (then the slow path classifies).</summary>
    private static async Task<StoredSchema?> TryReadFastAsync(NpgsqlConnection conn, PgSettings settings, CancellationToken ct)
    {
        try
        {
            var cmd = new NpgsqlCommand(PgMigrations.Get("schema_state", settings), conn);
            await using (cmd.ConfigureAwait(false))
            {
                var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var version = 0;
                    var history = new List<HistoryRow>();
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        version = reader.GetInt32(0);
                        if (!reader.IsDBNull(1))
                        {
                            history.Add(new HistoryRow(reader.GetInt32(1), string.Empty, reader.GetString(2), null, null));
                        }
                    }

                    return version < 1 ? null : new StoredSchema(version, true, history);
                }
            }
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            return null;
        }
    }
}
