using Eventuali.Migrations;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>Creates, checks or upgrades the store's schema on open and keeps positions above any restored ones.</summary>
internal static class SchemaInstaller
{
    public static async Task InstallAsync(NpgsqlDataSource dataSource, PgSettings settings, SqlText sql, MigrationCatalog catalog, EventStoreOptions options, CancellationToken ct)
    {
        var conn = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            // Fast path: an up-to-date schema costs one query, no lock and no DDL.
            if (await PgSchema.CheckOnOpenAsync(conn, settings, catalog, options.ApplyMigrationsOnOpen, ct).ConfigureAwait(false) != OpenAction.None)
            {
                await PgMigrationRunner.UpAsync(conn, settings, sql, catalog, null, options.TimeProvider, ct).ConfigureAwait(false);
            }

            await RaiseOffsetIfNeededAsync(conn, sql, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// After a restore into a cluster whose transaction ids are lower than the stored positions, raises the
    /// offset (waiting for every running append, which holds a lock on meta) so new positions stay above.
    /// The margin puts the restored events well below the read horizon: with just enough, they would stay
    /// hidden (never skipped, but waited for) while any transaction older than the raise is still running.
    /// </summary>
    private const long RestoreMargin = 1_000_000;

    private static async Task RaiseOffsetIfNeededAsync(NpgsqlConnection conn, SqlText sql, CancellationToken ct)
    {
        if (await OffsetShortfallAsync(conn, sql, ct).ConfigureAwait(false) < 0)
        {
            return;
        }

        var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (tx.ConfigureAwait(false))
        {
            await ExecAsync(conn, sql["offset_lock"], ct).ConfigureAwait(false);
            var shortfall = await OffsetShortfallAsync(conn, sql, ct).ConfigureAwait(false);
            if (shortfall >= 0)
            {
                await ExecAsync(conn, sql["offset_raise"], ct, shortfall + 1 + RestoreMargin).ConfigureAwait(false);
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
        }
    }

    private static async Task<long> OffsetShortfallAsync(NpgsqlConnection conn, SqlText sql, CancellationToken ct)
    {
        var cmd = new NpgsqlCommand(sql["offset_needed"], conn);
        await using (cmd.ConfigureAwait(false))
        {
            return (long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }
    }

    private static Task ExecAsync(NpgsqlConnection conn, string text, CancellationToken ct, params object[] args)
        => PgMigrationRunner.ExecAsync(conn, text, ct, args);
}
