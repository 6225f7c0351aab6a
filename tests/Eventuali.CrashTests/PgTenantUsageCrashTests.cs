using Eventuali.PostgreSql.Testing;
using Eventuali.Tenancy;
using Npgsql;

namespace Eventuali.CrashTests;

/// <summary>
/// PostgreSQL tenants, in either tenancy mode: usage is recorded in the append's own round trip, so after writers
/// appending to a tenant are SIGKILLed mid-load, <c>tenants usage</c> equals a count of the tenant's rows.
/// </summary>
public abstract class PgTenantUsageCrashTests : IAsyncDisposable
{
    /// <summary>
    /// What a stored row's sent payload measured: usage counts the payload bytes the client sent, and jsonb stores its
    /// own text form, so the sent payload is rebuilt from the row's fields (CrashPlan.Events' format).
    /// </summary>
    protected const string SentBytesOfRow =
        "octet_length(format('{\"append\":%s,\"index\":%s,\"note\":\"crash test payload %s/%s\"}', " +
        "data_json->>'append', data_json->>'index', data_json->>'append', data_json->>'index'))";

    protected static string Server { get; } = Environment.GetEnvironmentVariable("EVENTUALI_TEST_POSTGRES") ?? "postgresql://eventuali:eventuali@127.0.0.1:54329/eventuali";

    /// <summary>Makes the place the tenants live in; returns the multi-tenant store's URL and the owner's URL where the mode has one.</summary>
    protected abstract Task<(string Url, string? OwnerUrl)> SetUpAsync();

    /// <summary>The tenant's events, sent payload bytes and streams, counted with SQL (the truth the report must equal).</summary>
    protected abstract Task<(long Events, long Bytes, long Streams)> CountAsync(TenantId tenant, CancellationToken ct);

    public abstract ValueTask DisposeAsync();

    [Fact]
    public async Task Usage_equals_the_stored_rows_after_sigkill_mid_load()
    {
        var ct = TestContext.Current.CancellationToken;
        var acme = TenantId.Parse("acme");
        var (url, owner) = await SetUpAsync();
        await using (var factory = await EventStore.OpenTenantsAsync(url, owner, cancellationToken: ct))
        {
            await factory.CreateTenantAsync(acme, ct);
        }

        // The writers open the tenant's store from its URL alone (shared tables: as the application role).
        var plan = await TenantUsageCrashTests.LoadWithKillsAsync(url + "&tenant=acme", ct);
        var (events, bytes, streams) = await CountAsync(acme, ct);
        Assert.True(events >= 4 * 40 * plan.Batch, $"only {events} events stored");
        await using var reopened = await EventStore.OpenTenantsAsync(url, owner, cancellationToken: ct);
        var usage = Assert.Single(await ((ITenantAdministration)reopened).ReadUsageAsync(acme, null, null, ct));
        Assert.Equal((events, bytes, streams), (usage.Events, usage.Bytes, usage.Streams));
    }
}

/// <summary>A schema per tenant: the tenant's rows are its schema's.</summary>
public sealed class PgSchemaTenantUsageCrashTests : PgTenantUsageCrashTests
{
    // 12 characters, the longest base schema tenancy=schema takes; generated here, never user input.
    private readonly string _base = "cu" + Guid.NewGuid().ToString("N")[..10];

    protected override Task<(string Url, string? OwnerUrl)> SetUpAsync()
        => Task.FromResult<(string, string?)>((Server + (Server.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "schema=" + _base + "&tenancy=schema", null));

    protected override async Task<(long Events, long Bytes, long Streams)> CountAsync(TenantId tenant, CancellationToken ct)
    {
        var schema = _base + "_t_" + tenant.Value;
        await using var source = DataSource();
        await using var cmd = source.CreateCommand(
            $"SELECT (SELECT count(*) FROM \"{schema}\".events), (SELECT coalesce(sum({SentBytesOfRow}), 0)::bigint FROM \"{schema}\".events), (SELECT count(*) FROM \"{schema}\".streams)");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>Drops the base schema and the tenant schemas under it.</summary>
    public override async ValueTask DisposeAsync()
    {
        await using var source = DataSource();
        foreach (var schema in new[] { _base + "_t_acme", _base })
        {
            await using var cmd = source.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
            await cmd.ExecuteNonQueryAsync();
        }
    }

    private static NpgsqlDataSource DataSource() => NpgsqlDataSource.Create(Eventuali.PostgreSql.PgUrl.Parse(Server).Builder.ConnectionString);
}

/// <summary>Shared tables with row-level security: the tenant's rows are those with its tenant_id, counted as the admin role.</summary>
public sealed class PgRlsTenantUsageCrashTests : PgTenantUsageCrashTests
{
    private RlsDeployment? _deployment;

    protected override async Task<(string Url, string? OwnerUrl)> SetUpAsync()
    {
        _deployment = await RlsDeployment.CreateAsync(Server, "cr");
        return (_deployment.AppUrl, _deployment.OwnerUrl);
    }

    protected override Task<(long Events, long Bytes, long Streams)> CountAsync(TenantId tenant, CancellationToken ct)
        => _deployment!.CountAsync(tenant.Value, SentBytesOfRow, ct);

    public override async ValueTask DisposeAsync()
    {
        if (_deployment is not null)
        {
            await _deployment.DisposeAsync();
        }
    }
}
