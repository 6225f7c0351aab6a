using Eventuali.Tenancy;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite;

/// <summary>The registry's per-tenant configuration (table tenant_config).</summary>
internal sealed partial class SqliteTenantRegistry
{
    /// <summary>The tenant's stored configuration; throws <see cref="UnknownTenantException"/> when it is not registered.</summary>
    public TenantConfiguration GetConfiguration(TenantId tenant)
    {
        lock (_gate)
        {
            _ = Query("get", c => c.Parameters.AddWithValue("$id", tenant.Value)).SingleOrDefault() ?? throw new UnknownTenantException(tenant);
            using var command = Command("get_config");
            command.Parameters.AddWithValue("$id", tenant.Value);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return TenantConfiguration.Default;
            }

            var quotas = new TenantQuotas(Nullable(reader, 0), Nullable(reader, 1), Nullable(reader, 2));
            Durability? durability = reader.IsDBNull(3) ? null : reader.GetString(3) == "full" ? Durability.Full : Durability.Relaxed;
            var configuration = new TenantConfiguration(quotas.Any ? quotas : null, durability, reader.GetInt64(4) != 0, reader.IsDBNull(5) ? null : reader.GetString(5));
            return TenantSettingColumns.With(configuration, Nullable(reader, 6), Nullable(reader, 7), Nullable(reader, 8), reader.IsDBNull(9) ? null : reader.GetString(9));
        }
    }

    /// <summary>Stores the tenant's configuration with an audit line, in one transaction.</summary>
    public void SetConfiguration(TenantId tenant, TenantConfiguration configuration)
    {
        lock (_gate)
        {
            InTransaction(() =>
            {
                _ = Query("get", c => c.Parameters.AddWithValue("$id", tenant.Value)).SingleOrDefault() ?? throw new UnknownTenantException(tenant);
                var quotas = configuration.Quotas ?? TenantQuotas.None;
                Execute("set_config", c =>
                {
                    c.Parameters.AddWithValue("$id", tenant.Value);
                    c.Parameters.AddWithValue("$max_events_per_day", (object?)quotas.MaxEventsPerDay ?? DBNull.Value);
                    c.Parameters.AddWithValue("$max_streams", (object?)quotas.MaxStreams ?? DBNull.Value);
                    c.Parameters.AddWithValue("$max_bytes", (object?)quotas.MaxBytes ?? DBNull.Value);
                    c.Parameters.AddWithValue("$durability", configuration.Durability switch { Durability.Full => (object)"full", Durability.Relaxed => "relaxed", _ => DBNull.Value });
                    c.Parameters.AddWithValue("$analytics", configuration.AllowCrossTenantAnalytics ? 1 : 0);
                    c.Parameters.AddWithValue("$tier", (object?)configuration.Tier ?? DBNull.Value);
                    c.Parameters.AddWithValue("$retention_max_count", (object?)configuration.Retention?.MaxCount ?? DBNull.Value);
                    c.Parameters.AddWithValue("$retention_max_age_seconds", (object?)TenantSettingColumns.MaxAgeSeconds(configuration) ?? DBNull.Value);
                    c.Parameters.AddWithValue("$snapshot_every", (object?)configuration.SnapshotEveryEvents ?? DBNull.Value);
                    c.Parameters.AddWithValue("$encryption", (object?)TenantSettingColumns.Encryption(configuration) ?? DBNull.Value);
                });
                Audit(tenant, "configured", _clock.GetUtcNow());
                return true;
            });
        }
    }

    /// <summary>Writes one audit line for the tenant (e.g. a cross-tenant analytics read and its purpose).</summary>
    public void AuditAction(TenantId tenant, string action)
    {
        lock (_gate)
        {
            Audit(tenant, action, _clock.GetUtcNow());
        }
    }

    /// <summary>Brings an older registry's tables up to date (see the migrations in tenancy.sql).</summary>
    private void Migrate()
    {
        const long current = 2;
        if (UserVersion() >= current)
        {
            return;
        }

        lock (_gate)
        {
            InTransaction(() =>
            {
                if (UserVersion() < 1)
                {
                    Execute("migrate_1", static _ => { });
                }

                if (UserVersion() < 2)
                {
                    Execute("migrate_2", static _ => { });
                }

                return true;
            });
        }
    }

    private long UserVersion()
    {
        using var command = Command("user_version");
        return (long)command.ExecuteScalar()!;
    }

    private static long? Nullable(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetInt64(column);
}
