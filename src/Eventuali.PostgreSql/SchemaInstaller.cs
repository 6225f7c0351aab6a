using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>Creates or checks the store's schema and keeps positions above any restored ones.</summary>
internal static class SchemaInstaller
{
    public static async Task InstallAsync(NpgsqlDataSource dataSource, PgSettings settings, SqlText sql, CancellationToken ct)
    {
        var conn = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            // Fast path: an up-to-date schema needs no lock and no DDL.
            if (await ReadVersionAsync(conn, settings, sql, ct).ConfigureAwait(false) != SqlText.SchemaVersion)
            {
                await CreateAsync(conn, settings, sql, ct).ConfigureAwait(false);
            }

            await RaiseOffsetIfNeededAsync(conn, sql, ct).ConfigureAwait(false);
        }
    }

    private static async Task CreateAsync(NpgsqlConnection conn, PgSettings settings, SqlText sql, CancellationToken ct)
    {
        var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (tx.ConfigureAwait(false))
        {
            await ExecAsync(conn, sql["install_lock"], ct, settings.Schema).ConfigureAwait(false);
            var version = await ReadVersionAsync(conn, settings, sql, ct).ConfigureAwait(false);
            if (version != SqlText.SchemaVersion)
            {
                foreach (var (number, script) in sql.Migrations)
                {
                    if (number > version)
                    {
                        await ExecAsync(conn, script, ct).ConfigureAwait(false);
                    }
                }

                await ExecAsync(conn, sql.AppendFunction, ct).ConfigureAwait(false);
                await ExecAsync(conn, sql["meta_write"], ct, SqlText.SchemaVersion).ConfigureAwait(false);
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>The stored schema version (0 when there is none); a newer one than this library is refused.</summary>
    private static async Task<int> ReadVersionAsync(NpgsqlConnection conn, PgSettings settings, SqlText sql, CancellationToken ct)
    {
        var exists = new NpgsqlCommand(sql["meta_exists"], conn);
        await using (exists.ConfigureAwait(false))
        {
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"{settings.QuotedSchema}.meta" });
            if (!(bool)(await exists.ExecuteScalarAsync(ct).ConfigureAwait(false))!)
            {
                return 0;
            }
        }

        var read = new NpgsqlCommand(sql["meta_read"], conn);
        object? found;
        await using (read.ConfigureAwait(false))
        {
            found = await read.ExecuteScalarAsync(ct).ConfigureAwait(false);
        }

        var version = found is int v ? v : 0;
        if (version > SqlText.SchemaVersion)
        {
            throw new EventStoreConfigurationException(
                $"Schema '{settings.Schema}' in database '{settings.Database}' was created by a newer Eventuali (schema version {version}; this version understands up to {SqlText.SchemaVersion}). Upgrade Eventuali to open it.");
        }

        return version;
    }

    /// <summary>
    /// After a restore into a cluster whose transaction ids are lower than the stored positions, raises the
    /// offset (waiting for every running append, which holds a lock on meta) so new positions stay above.
    /// </summary>
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
                await ExecAsync(conn, sql["offset_raise"], ct, shortfall + 1).ConfigureAwait(false);
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

    private static async Task ExecAsync(NpgsqlConnection conn, string text, CancellationToken ct, params object[] args)
    {
        var cmd = new NpgsqlCommand(text, conn);
        await using (cmd.ConfigureAwait(false))
        {
            foreach (var a in args)
            {
                cmd.Parameters.Add(new NpgsqlParameter { Value = a });
            }

            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }
}
