using Eventuali.Tenancy;
using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>The registry's per-tenant configuration (table tenant_config).</summary>
internal sealed partial class PgTenantRegistry
{
    /// <summary>The tenant's stored configuration; throws <see cref="UnknownTenantException"/> when it is not registered.</summary>
    public async Task<TenantConfiguration> GetConfigurationAsync(TenantId tenant, CancellationToken ct)
    {
        var conn = await OpenForAsync(tenant, ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            _ = await GetAsync(conn, null, "get", tenant, ct).ConfigureAwait(false) ?? throw new UnknownTenantException(tenant);
            var cmd = PgTenantScope.Batch(conn, null, _sql["get_config"], Text(tenant.Value));
            await using (cmd.ConfigureAwait(false))
            {
                var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (!await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        return TenantConfiguration.Default;
                    }

                    var quotas = new TenantQuotas(Nullable(reader, 0), Nullable(reader, 1), Nullable(reader, 2));
                    Durability? durability = reader.IsDBNull(3) ? null : reader.GetString(3) == "full" ? Durability.Full : Durability.Relaxed;
                    return new TenantConfiguration(quotas.Any ? quotas : null, durability);
                }
            }
        }
    }

    /// <summary>Stores the tenant's configuration with an audit line, in one transaction.</summary>
    public Task SetConfigurationAsync(TenantId tenant, TenantConfiguration configuration, CancellationToken ct) => InTransactionAsync(async (conn, tx) =>
    {
        _ = await GetAsync(conn, tx, "get_for_update", tenant, ct).ConfigureAwait(false) ?? throw new UnknownTenantException(tenant);
        var quotas = configuration.Quotas ?? TenantQuotas.None;
        await ExecAsync(conn, tx, "set_config", ct, Text(tenant.Value), Long(quotas.MaxEventsPerDay), Long(quotas.MaxStreams), Long(quotas.MaxBytes),
            new NpgsqlParameter { Value = configuration.Durability switch { Durability.Full => "full", Durability.Relaxed => "relaxed", _ => DBNull.Value }, NpgsqlDbType = NpgsqlDbType.Text }).ConfigureAwait(false);
        await AuditAsync(conn, tx, tenant, "configured", ct).ConfigureAwait(false);
        return true;
    }, ct);

    private static NpgsqlParameter Long(long? value) => new() { Value = value is { } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint };

    private static long? Nullable(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetInt64(column);
}
