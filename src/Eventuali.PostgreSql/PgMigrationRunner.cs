using System.Diagnostics;
using Eventuali.Migrations;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>
/// Applies migrations one per transaction (a new store: all in one), each with its history row and meta.schema_version, under the schema's
/// transaction advisory lock; the state is re-read inside the lock, so nodes migrating at once apply each migration
/// exactly once. The append function (Sql/append.sql) is re-created in the transaction that reaches the latest version.
/// </summary>
internal static class PgMigrationRunner
{
    public static async Task<MigrationPlan> PlanAsync(NpgsqlConnection conn, PgSettings settings, SqlText sql, MigrationCatalog catalog, int? toVersion, CancellationToken ct)
    {
        var stored = await PgSchema.ReadAsync(conn, settings, ct).ConfigureAwait(false);
        var status = MigrationLedger.Status(PgMigrations.Describe(settings), catalog, stored);
        if (stored.Exists)
        {
            MigrationLedger.ThrowIfBroken(status);
        }

        var target = MigrationLedger.Target(status, toVersion);
        var steps = catalog.Scripts.Where(s => s.Version > stored.Version && s.Version <= target)
            .Select(s => new PlannedMigration(s.Version, s.Name, s.Checksum, PgMigrations.Fill(s.Text, settings))).ToList();
        var support = new List<string>();
        if (!stored.HistoryExists && (stored.Exists || steps.Count > 0))
        {
            support.Add(PgMigrations.Get("history_create", settings));
        }

        if (steps.Count > 0 && target == catalog.LatestVersion)
        {
            support.Add(sql.AppendFunction);
        }

        return new MigrationPlan(status.Store, stored.Version, steps.Count == 0 ? stored.Version : target, steps, support);
    }

    public static async Task<MigrationResult> UpAsync(NpgsqlConnection conn, PgSettings settings, SqlText sql, MigrationCatalog catalog, int? toVersion, TimeProvider clock, CancellationToken ct)
    {
        var store = PgMigrations.Describe(settings);
        var applied = new List<MigrationInfo>();
        int? from = null;
        var adopted = 0;
        while (true)
        {
            var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (tx.ConfigureAwait(false))
            {
                await ExecAsync(conn, sql["install_lock"], ct, settings.Schema).ConfigureAwait(false);
                var stored = await PgSchema.ReadAsync(conn, settings, ct).ConfigureAwait(false);
                var status = MigrationLedger.Status(store, catalog, stored);
                from ??= stored.Version;
                if (stored.Exists)
                {
                    MigrationLedger.ThrowIfBroken(status);
                }

                var target = MigrationLedger.Target(status, toVersion);
                if (stored.Exists && !stored.HistoryExists)
                {
                    await ExecAsync(conn, PgMigrations.Get("history_create", settings), ct).ConfigureAwait(false);
                    foreach (var m in status.Migrations.Where(m => m.State == MigrationState.Applied))
                    {
                        await RecordAsync(conn, settings, m.Version, m.Name, m.Checksum, clock.GetUtcNow(), 0, ct).ConfigureAwait(false);
                        adopted++;
                    }
                }

                var batch = MigrationLedger.Batch(catalog, stored, target);
                if (batch.Count == 0)
                {
                    await tx.CommitAsync(ct).ConfigureAwait(false);
                    return new MigrationResult(store, from.Value, stored.Version, applied, adopted);
                }

                var done = new List<MigrationInfo>();
                foreach (var next in batch)
                {
                    var watch = Stopwatch.StartNew();
                    await ExecAsync(conn, PgMigrations.Fill(next.Text, settings), ct).ConfigureAwait(false);
                    var elapsed = watch.ElapsedMilliseconds;

                    // After the script: the first migration creates the schema the history lives in.
                    await ExecAsync(conn, PgMigrations.Get("history_create", settings), ct).ConfigureAwait(false);
                    var at = clock.GetUtcNow();
                    await RecordAsync(conn, settings, next.Version, next.Name, next.Checksum, at, elapsed, ct).ConfigureAwait(false);
                    await ExecAsync(conn, sql["meta_write"], ct, next.Version).ConfigureAwait(false);
                    done.Add(new MigrationInfo(next.Version, next.Name, next.Checksum, MigrationState.Applied, at, elapsed, next.Checksum));
                }

                if (batch[^1].Version == catalog.LatestVersion)
                {
                    await ExecAsync(conn, sql.AppendFunction, ct).ConfigureAwait(false);
                }

                await tx.CommitAsync(ct).ConfigureAwait(false);
                applied.AddRange(done);
            }
        }
    }

    private static Task RecordAsync(NpgsqlConnection conn, PgSettings settings, int version, string name, string checksum, DateTimeOffset at, long ms, CancellationToken ct)
        => ExecAsync(conn, PgMigrations.Get("history_insert", settings), ct, version, name, checksum, at, ms);

    internal static async Task ExecAsync(NpgsqlConnection conn, string text, CancellationToken ct, params object[] args)
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
