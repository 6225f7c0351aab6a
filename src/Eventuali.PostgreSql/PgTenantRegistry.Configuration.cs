using Eventuali.Tenancy;
using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>The registry's per-tenant configuration (table tenant_config) and the analytics grants that follow it.</summary>
internal sealed partial class PgTenantRegistry
{
    /// <summary>The registry version the migrate_N sections of tenancy.sql bring a registry to.</summary>
    private const int CurrentVersion = 3;

    /// <summary>The tenant's stored configuration; throws <see cref="UnknownTenantException"/> when it is not registered.</summary>
    public async Task<TenantConfiguration> GetConfigurationAsync(TenantId tenant, CancellationToken ct)
    {
        var conn = await OpenForAsync(tenant, ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            _ = await GetAsync(conn, null, "get", tenant, ct).ConfigureAwait(false) ?? throw new UnknownTenantException(tenant);
            return (await ReadConfigurationAsync(conn, null, tenant, ct).ConfigureAwait(false)).Configuration;
        }
    }

    /// <summary>
    /// Stores the tenant's configuration with an audit line, in one transaction; opting in to cross-tenant analytics
    /// grants the analytics role SELECT on the tenant's events and usage, opting out revokes it (same transaction).
    /// </summary>
    public Task SetConfigurationAsync(TenantId tenant, TenantConfiguration configuration, string? tenantSchema, CancellationToken ct) => InTransactionAsync(async (conn, tx) =>
    {
        var info = await GetAsync(conn, tx, "get_for_update", tenant, ct).ConfigureAwait(false) ?? throw new UnknownTenantException(tenant);
        var quotas = configuration.Quotas ?? TenantQuotas.None;
        await ExecAsync(conn, tx, "set_config", ct, Text(tenant.Value), Long(quotas.MaxEventsPerDay), Long(quotas.MaxStreams), Long(quotas.MaxBytes),
            new NpgsqlParameter { Value = configuration.Durability switch { Durability.Full => "full", Durability.Relaxed => "relaxed", _ => DBNull.Value }, NpgsqlDbType = NpgsqlDbType.Text },
            new NpgsqlParameter<bool> { TypedValue = configuration.AllowCrossTenantAnalytics },
            new NpgsqlParameter { Value = (object?)configuration.Tier ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new NpgsqlParameter { Value = (object?)configuration.Retention?.MaxCount ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer },
            Long(TenantSettingColumns.MaxAgeSeconds(configuration)),
            new NpgsqlParameter { Value = (object?)configuration.SnapshotEveryEvents ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer },
            new NpgsqlParameter { Value = (object?)TenantSettingColumns.Encryption(configuration) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text }).ConfigureAwait(false);
        await ApplyAnalyticsGrantAsync(conn, tx, tenant, tenantSchema, !info.Info.Suspended, ct).ConfigureAwait(false);
        await AuditAsync(conn, tx, tenant, "configured", ct).ConfigureAwait(false);
        return true;
    }, ct);

    /// <summary>Writes one audit line for the tenant (a cross-tenant analytics read and its purpose).</summary>
    public Task AuditActionAsync(TenantId tenant, string action, CancellationToken ct)
        => InTransactionAsync((conn, tx) => AuditAsync(conn, tx, tenant, action, ct), ct);

    /// <summary>
    /// Makes the tenant's analytics grant match its state: held by the configured analytics role while the tenant
    /// opted in and <paramref name="active"/> (not suspended), held by nobody otherwise. The role that holds it is
    /// kept in the registry, so a process opened without <c>analytics_role</c> still revokes it.
    /// </summary>
    private async Task ApplyAnalyticsGrantAsync(NpgsqlConnection conn, NpgsqlTransaction tx, TenantId tenant, string? tenantSchema, bool active, CancellationToken ct)
    {
        if (tenantSchema is null)
        {
            return; // shared tables (tenancy=rls) keep no analytics grants: their factory refuses the opt-in
        }

        var (configuration, held) = await ReadConfigurationAsync(conn, tx, tenant, ct).ConfigureAwait(false);
        var wanted = configuration.AllowCrossTenantAnalytics && active ? _analyticsRole ?? held : null;
        if (configuration.AllowCrossTenantAnalytics && active && wanted is null)
        {
            throw new EventStoreConfigurationException(
                $"Tenant '{tenant}' cannot opt in to cross-tenant analytics: no analytics role is set. Add analytics_role=ROLE to the tenancy=schema URL, naming the role the analytics reader connects as.");
        }

        if (held == wanted)
        {
            if (wanted is not null)
            {
                await ExecTextAsync(conn, tx, Grant("grant_analytics", tenantSchema, wanted), ct).ConfigureAwait(false); // tables added since
            }

            return;
        }

        if (held is not null && await RoleExistsAsync(conn, tx, held, ct).ConfigureAwait(false))
        {
            await ExecTextAsync(conn, tx, Grant("revoke_analytics", tenantSchema, held), ct).ConfigureAwait(false);
        }

        if (wanted is not null)
        {
            if (!await RoleExistsAsync(conn, tx, wanted, ct).ConfigureAwait(false))
            {
                throw new EventStoreConfigurationException($"The analytics role '{wanted}' does not exist; create it (a role of its own, e.g. CREATE ROLE {wanted} LOGIN) before a tenant opts in.");
            }

            await ExecTextAsync(conn, tx, Grant("grant_analytics", tenantSchema, wanted), ct).ConfigureAwait(false);
        }

        await ExecAsync(conn, tx, "set_analytics_role", ct, Text(tenant.Value), new NpgsqlParameter { Value = (object?)wanted ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text }).ConfigureAwait(false);
    }

    private string Grant(string name, string tenantSchema, string role)
        => _sql[name].Replace("__TENANT_SCHEMA__", $"\"{tenantSchema}\"", StringComparison.Ordinal).Replace("__ROLE__", $"\"{role}\"", StringComparison.Ordinal);

    private async Task<bool> RoleExistsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string role, CancellationToken ct)
    {
        var cmd = new NpgsqlCommand(_sql["role_exists"], conn, tx);
        await using (cmd.ConfigureAwait(false))
        {
            cmd.Parameters.Add(Text(role));
            return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is true;
        }
    }

    private async Task<(TenantConfiguration Configuration, string? AnalyticsRole)> ReadConfigurationAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, TenantId tenant, CancellationToken ct)
    {
        var cmd = PgTenantScope.Batch(conn, tx, _sql["get_config"], Text(tenant.Value));
        await using (cmd.ConfigureAwait(false))
        {
            var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    return (TenantConfiguration.Default, null);
                }

                var quotas = new TenantQuotas(Nullable(reader, 0), Nullable(reader, 1), Nullable(reader, 2));
                Durability? durability = reader.IsDBNull(3) ? null : reader.GetString(3) == "full" ? Durability.Full : Durability.Relaxed;
                var configuration = TenantSettingColumns.With(
                    new TenantConfiguration(quotas.Any ? quotas : null, durability, reader.GetBoolean(4), reader.IsDBNull(5) ? null : reader.GetString(5)),
                    reader.IsDBNull(7) ? null : reader.GetInt32(7), Nullable(reader, 8), reader.IsDBNull(9) ? null : reader.GetInt32(9), reader.IsDBNull(10) ? null : reader.GetString(10));
                return (configuration, reader.IsDBNull(6) ? null : reader.GetString(6));
            }
        }
    }

    /// <summary>Runs the registry migrations a registry made by an older version lacks (under the set-up lock).</summary>
    private async Task MigrateAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        var cmd = new NpgsqlCommand(_sql["registry_version"], conn, tx);
        int version;
        await using (cmd.ConfigureAwait(false))
        {
            version = (int)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }

        for (var next = version + 1; next <= CurrentVersion; next++)
        {
            await ExecAsync(conn, tx, "migrate_" + next, ct).ConfigureAwait(false);
            await ExecAsync(conn, tx, "set_registry_version", ct, new NpgsqlParameter<int> { TypedValue = next }).ConfigureAwait(false);
        }
    }

    private static NpgsqlParameter Long(long? value) => new() { Value = value is { } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint };

    private static long? Nullable(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetInt64(column);
}
