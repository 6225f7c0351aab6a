using System.Diagnostics;
using System.Globalization;
using Eventuali.Migrations;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite;

/// <summary>
/// Applies migrations one per transaction (a new store: all in one), each with its history row and the meta schema_version. Every
/// transaction starts with BEGIN IMMEDIATE (the write lock) and re-reads the state inside it, so processes
/// migrating one file at once apply each migration exactly once.
/// </summary>
internal static class SqliteMigrationRunner
{
    public static MigrationPlan Plan(SqliteConnection? connection, SqliteLocation location, MigrationCatalog catalog, int? toVersion)
    {
        var stored = connection is null ? StoredSchema.Empty : SqliteSchema.Read(connection, null, location);
        var status = MigrationLedger.Status(SqliteMigrations.Describe(location), catalog, stored);
        if (stored.Exists)
        {
            MigrationLedger.ThrowIfBroken(status);
        }

        var target = MigrationLedger.Target(status, toVersion);
        var steps = catalog.Scripts.Where(s => s.Version > stored.Version && s.Version <= target)
            .Select(s => new PlannedMigration(s.Version, s.Name, s.Checksum, s.Text)).ToList();
        IReadOnlyList<string> support = stored.HistoryExists || (steps.Count == 0 && !stored.Exists) ? [] : [SqliteMigrations.Get("history_create")];
        return new MigrationPlan(status.Store, stored.Version, steps.Count == 0 ? stored.Version : target, steps, support);
    }

    public static MigrationResult Up(SqliteConnection connection, SqliteLocation location, MigrationCatalog catalog, int? toVersion, TimeProvider clock)
    {
        var store = SqliteMigrations.Describe(location);
        var applied = new List<MigrationInfo>();
        int? from = null;
        var adopted = 0;
        while (true)
        {
            try
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                var stored = SqliteSchema.Read(connection, transaction, location);
                var status = MigrationLedger.Status(store, catalog, stored);
                from ??= stored.Version;
                if (stored.Exists)
                {
                    MigrationLedger.ThrowIfBroken(status);
                }

                var target = MigrationLedger.Target(status, toVersion);
                if (stored.Exists && !stored.HistoryExists)
                {
                    adopted += Adopt(connection, transaction, status, clock);
                }

                var batch = MigrationLedger.Batch(catalog, stored, target);
                if (batch.Count == 0)
                {
                    transaction.Commit();
                    return new MigrationResult(store, from.Value, stored.Version, applied, adopted);
                }

                var done = batch.Select(next => Apply(connection, transaction, next, clock)).ToList();
                transaction.Commit();
                applied.AddRange(done);
            }
            catch (SqliteException ex)
            {
                throw new EventStoreConfigurationException($"Cannot migrate the {store}: {ex.Message}", ex);
            }
        }
    }

    private static MigrationInfo Apply(SqliteConnection connection, SqliteTransaction transaction, MigrationScript script, TimeProvider clock)
    {
        Execute(connection, transaction, SqliteMigrations.Get("history_create"));
        var watch = Stopwatch.StartNew();
        Execute(connection, transaction, script.Text);
        var elapsed = watch.ElapsedMilliseconds;
        var at = clock.GetUtcNow();
        Record(connection, transaction, script.Version, script.Name, script.Checksum, at, elapsed);
        using var set = SqliteSchema.Command(connection, transaction, SqlText.Get("meta_set"));
        set.Parameters.AddWithValue("?1", "schema_version");
        set.Parameters.AddWithValue("?2", script.Version.ToString(CultureInfo.InvariantCulture));
        set.ExecuteNonQuery();
        set.Parameters[0].Value = "marker";
        set.Parameters[1].Value = SqliteSchema.Marker;
        set.ExecuteNonQuery();
        return new MigrationInfo(script.Version, script.Name, script.Checksum, MigrationState.Applied, at, elapsed, script.Checksum);
    }

    /// <summary>A store from before the history: records what its version says is applied, with this library's checksums.</summary>
    private static int Adopt(SqliteConnection connection, SqliteTransaction transaction, MigrationStatus status, TimeProvider clock)
    {
        Execute(connection, transaction, SqliteMigrations.Get("history_create"));
        var at = clock.GetUtcNow();
        var count = 0;
        foreach (var m in status.Migrations.Where(m => m.State == MigrationState.Applied))
        {
            Record(connection, transaction, m.Version, m.Name, m.Checksum, at, 0);
            count++;
        }

        return count;
    }

    private static void Record(SqliteConnection connection, SqliteTransaction transaction, int version, string name, string checksum, DateTimeOffset at, long ms)
    {
        using var insert = SqliteSchema.Command(connection, transaction, SqliteMigrations.Get("history_insert"));
        insert.Parameters.AddWithValue("?1", version);
        insert.Parameters.AddWithValue("?2", name);
        insert.Parameters.AddWithValue("?3", checksum);
        insert.Parameters.AddWithValue("?4", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        insert.Parameters.AddWithValue("?5", ms);
        insert.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = SqliteSchema.Command(connection, transaction, sql);
        command.ExecuteNonQuery();
    }
}
