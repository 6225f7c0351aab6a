using System.Collections.Frozen;
using Eventuali.Tenancy;
using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>
/// The tenant registry of <c>?tenancy=schema</c>: tables tenants, tenant_config and tenant_audit in the base schema
/// (Sql/tenancy.sql). Every change is one transaction with its audit line, committed durably whatever the tenants'
/// durability; other processes see it at once, so a tenant suspended by one is refused by the next open in another.
/// </summary>
internal sealed partial class PgTenantRegistry
{
    private readonly FrozenDictionary<string, string> _sql;
    private readonly NpgsqlDataSource _dataSource;
    private readonly PgSettings _settings;
    private readonly TimeProvider _clock;
    private readonly string? _analyticsRole;

    // Shared tables (tenancy=rls) read as the application role: it sees one tenant's rows, the one its transaction sets.
    private readonly bool _tenantScoped;

    public PgTenantRegistry(NpgsqlDataSource dataSource, PgSettings settings, TimeProvider clock, string? analyticsRole = null, bool tenantScoped = false)
    {
        _analyticsRole = analyticsRole;
        _tenantScoped = tenantScoped;
        _dataSource = dataSource;
        _settings = settings;
        _clock = clock;
        _sql = SqlFile.Load("tenancy.sql", settings);
    }

    public async Task SetUpAsync(CancellationToken ct)
    {
        await InTransactionAsync(async (conn, tx) =>
        {
            await ExecAsync(conn, tx, "setup_lock", ct, Text(_settings.Schema)).ConfigureAwait(false);
            await ExecAsync(conn, tx, "setup", ct).ConfigureAwait(false);
            await MigrateAsync(conn, tx, ct).ConfigureAwait(false);
            return true;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>Whether the base schema holds a registry (opening without create refuses one that does not).</summary>
    public async Task<bool> ExistsAsync(CancellationToken ct)
    {
        var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            var cmd = new NpgsqlCommand(_sql["exists"], conn);
            await using (cmd.ConfigureAwait(false))
            {
                cmd.Parameters.Add(Text(_settings.QuotedSchema + ".tenants"));
                return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is true;
            }
        }
    }

    public async Task<TenantInfo?> FindAsync(TenantId tenant, CancellationToken ct)
        => (await FindWithTokenAsync(tenant, ct).ConfigureAwait(false))?.Info;

    public async Task<(TenantInfo Info, string? Token)?> FindWithTokenAsync(TenantId tenant, CancellationToken ct)
    {
        var conn = await OpenForAsync(tenant, ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            return await GetAsync(conn, null, "get", tenant, ct).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<TenantInfo>> ListAsync(CancellationToken ct)
    {
        var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            return [.. (await RowsAsync(conn, null, "list", ct).ConfigureAwait(false)).Select(r => r.Info)];
        }
    }

    /// <summary>Registers the tenant when new (with an audit line in the same transaction); returns it either way.</summary>
    public Task<TenantInfo> CreateAsync(TenantId tenant, CancellationToken ct) => InTransactionAsync(async (conn, tx) =>
    {
        var rows = await ExecAsync(conn, tx, "insert", ct, Text(tenant.Value), Time(_clock.GetUtcNow())).ConfigureAwait(false);
        if (rows > 0)
        {
            await AuditAsync(conn, tx, tenant, "created", ct).ConfigureAwait(false);
        }

        return (await GetAsync(conn, tx, "get", tenant, ct).ConfigureAwait(false))!.Value.Info;
    }, ct);

    public Task SetSuspendedAsync(TenantId tenant, bool suspended, string? tenantSchema, CancellationToken ct) => InTransactionAsync(async (conn, tx) =>
    {
        var before = await GetAsync(conn, tx, "get_for_update", tenant, ct).ConfigureAwait(false) ?? throw new UnknownTenantException(tenant);
        await ExecAsync(conn, tx, "set_suspended", ct, Text(tenant.Value), new NpgsqlParameter<bool> { TypedValue = suspended }).ConfigureAwait(false);
        await ApplyAnalyticsGrantAsync(conn, tx, tenant, tenantSchema, !suspended, ct).ConfigureAwait(false);
        await AuditAsync(conn, tx, tenant, !suspended && before.Token is not null ? "deletion-cancelled" : suspended ? "suspended" : "resumed", ct).ConfigureAwait(false);
        return true;
    }, ct);

    public Task<string> RequestDeletionAsync(TenantId tenant, string? tenantSchema, CancellationToken ct) => InTransactionAsync(async (conn, tx) =>
    {
        var before = await GetAsync(conn, tx, "get_for_update", tenant, ct).ConfigureAwait(false) ?? throw new UnknownTenantException(tenant);
        if (before.Token is { } existing)
        {
            return existing;
        }

        var token = TenantDeletion.NewToken();
        await ExecAsync(conn, tx, "request_deletion", ct, Text(tenant.Value), Text(token)).ConfigureAwait(false);
        await ApplyAnalyticsGrantAsync(conn, tx, tenant, tenantSchema, false, ct).ConfigureAwait(false);
        await AuditAsync(conn, tx, tenant, "deletion-requested", ct).ConfigureAwait(false);
        return token;
    }, ct);

    /// <summary>
    /// Drops the tenant's schema and removes its rows with the audit line, all in one transaction (PostgreSQL's DDL is
    /// transactional): a crash leaves the tenant whole and marked, and purging again finishes. The token is checked
    /// again under the row lock, so a concurrent resume wins cleanly.
    /// </summary>
    public Task PurgeAsync(TenantId tenant, string confirmation, string tenantSchema, CancellationToken ct)
        => PurgeAsync(tenant, confirmation, (conn, tx) => ExecTextAsync(conn, tx, _sql["drop_tenant_schema"].Replace("__TENANT_SCHEMA__", $"\"{tenantSchema}\"", StringComparison.Ordinal), ct), ct);

    /// <summary>As the schema mode's purge, with <paramref name="removeData"/> removing the tenant's data in the same transaction.</summary>
    public Task PurgeAsync(TenantId tenant, string confirmation, Func<NpgsqlConnection, NpgsqlTransaction, Task> removeData, CancellationToken ct) => InTransactionAsync(async (conn, tx) =>
    {
        var (_, token) = await GetAsync(conn, tx, "get_for_update", tenant, ct).ConfigureAwait(false) ?? throw new UnknownTenantException(tenant);
        if (!TenantDeletion.Confirms(token, confirmation))
        {
            throw TenantDeletion.Refused(tenant, token is not null);
        }

        await removeData(conn, tx).ConfigureAwait(false);
        await ExecAsync(conn, tx, "delete_config", ct, Text(tenant.Value)).ConfigureAwait(false);
        await ExecAsync(conn, tx, "delete", ct, Text(tenant.Value)).ConfigureAwait(false);
        await AuditAsync(conn, tx, tenant, "purged", ct).ConfigureAwait(false);
        return true;
    }, ct);

    public async Task<IReadOnlyList<TenantAuditRecord>> ReadAuditAsync(CancellationToken ct)
    {
        var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            var cmd = new NpgsqlCommand(_sql["read_audit"], conn);
            await using (cmd.ConfigureAwait(false))
            {
                var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var records = new List<TenantAuditRecord>();
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        records.Add(new TenantAuditRecord(reader.GetFieldValue<DateTimeOffset>(0), TenantId.Parse(reader.GetString(1)), reader.GetString(2)));
                    }

                    return records;
                }
            }
        }
    }

    private Task<int> AuditAsync(NpgsqlConnection conn, NpgsqlTransaction tx, TenantId tenant, string action, CancellationToken ct)
        => ExecAsync(conn, tx, "audit", ct, Time(_clock.GetUtcNow()), Text(tenant.Value), Text(action));

    // Registry changes commit durably even when the tenants' stores relax durability.
    private async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken ct)
    {
        var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (tx.ConfigureAwait(false))
            {
                await ExecTextAsync(conn, tx, "SET LOCAL synchronous_commit TO on", ct).ConfigureAwait(false);
                var result = await work(conn, tx).ConfigureAwait(false);
                await tx.CommitAsync(ct).ConfigureAwait(false);
                return result;
            }
        }
    }

    private async Task<(TenantInfo Info, string? Token)?> GetAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string name, TenantId tenant, CancellationToken ct)
    {
        var rows = await RowsAsync(conn, tx, name, ct, Text(tenant.Value)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>A connection for reading <paramref name="tenant"/>'s rows: as the application role of shared tables, bound to that tenant.</summary>
    private async Task<NpgsqlConnection> OpenForAsync(TenantId tenant, CancellationToken ct)
    {
        var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        return _tenantScoped ? PgTenantScope.Mark(conn, _settings with { Tenant = tenant }) : conn;
    }

    private async Task<List<(TenantInfo Info, string? Token)>> RowsAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string name, CancellationToken ct, params NpgsqlParameter[] args)
    {
        var cmd = PgTenantScope.Batch(conn, tx, _sql[name], args);
        await using (cmd.ConfigureAwait(false))
        {
            var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var rows = new List<(TenantInfo, string?)>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var token = reader.IsDBNull(3) ? null : reader.GetString(3);
                    rows.Add((new TenantInfo(TenantId.Parse(reader.GetString(0)), reader.GetBoolean(2), reader.GetFieldValue<DateTimeOffset>(1), token is not null), token));
                }

                return rows;
            }
        }
    }

    private Task<int> ExecAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string name, CancellationToken ct, params NpgsqlParameter[] args)
        => ExecTextAsync(conn, tx, _sql[name], ct, args);

    private static async Task<int> ExecTextAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string text, CancellationToken ct, params NpgsqlParameter[] args)
    {
        var cmd = new NpgsqlCommand(text, conn, tx);
        await using (cmd.ConfigureAwait(false))
        {
            cmd.Parameters.AddRange(args);
            return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    private static NpgsqlParameter<string> Text(string value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter<DateTimeOffset> Time(DateTimeOffset value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.TimestampTz };
}
