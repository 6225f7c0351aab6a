using Eventuali.Tenancy;
using Npgsql;

namespace Eventuali.CrashTests;

/// <summary>
/// Schema-per-tenant PostgreSQL: usage is recorded in the append's own round trip, so after writers appending to a
/// tenant are SIGKILLed mid-load, <c>tenants usage</c> equals a count of the tenant schema's rows.
/// </summary>
public sealed class PgTenantUsageCrashTests : IAsyncDisposable
{
    private readonly string _server = Environment.GetEnvironmentVariable("EVENTUALI_TEST_POSTGRES") ?? "postgresql://eventuali:eventuali@127.0.0.1:54329/eventuali";

    // 12 characters, the longest base schema tenancy=schema takes; generated here, never user input.
    private readonly string _base = "cu" + Guid.NewGuid().ToString("N")[..10];

    private string Url => _server + (_server.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "schema=" + _base + "&tenancy=schema";

    [Fact]
    public async Task Usage_equals_the_stored_rows_after_sigkill_mid_load()
    {
        var ct = TestContext.Current.CancellationToken;
        var acme = TenantId.Parse("acme");
        await using (var factory = await EventStore.OpenTenantsAsync(Url, cancellationToken: ct))
        {
            await factory.CreateTenantAsync(acme, ct);
        }

        var plan = await TenantUsageCrashTests.LoadWithKillsAsync(Url + "&tenant=acme", ct);
        var (events, bytes, streams) = await CountAsync(_base + "_t_acme", ct);
        Assert.True(events >= 4 * 40 * plan.Batch, $"only {events} events stored");
        await using var reopened = await EventStore.OpenTenantsAsync(Url, cancellationToken: ct);
        var usage = Assert.Single(await ((ITenantAdministration)reopened).ReadUsageAsync(acme, null, null, ct));
        Assert.Equal((events, bytes, streams), (usage.Events, usage.Bytes, usage.Streams));
    }

    /// <summary>Drops the base schema and the tenant schemas under it.</summary>
    public async ValueTask DisposeAsync()
    {
        await using var source = DataSource();
        foreach (var schema in new[] { _base + "_t_acme", _base })
        {
            await using var cmd = source.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
            await cmd.ExecuteNonQueryAsync();
        }
    }

    private NpgsqlDataSource DataSource() => NpgsqlDataSource.Create(Eventuali.PostgreSql.PgUrl.Parse(_server).Builder.ConnectionString);

    // The truth the report must equal: rows counted with SQL. Usage counts the payload bytes the client sent, and jsonb
    // stores its own text form, so each stored row's sent payload is rebuilt from its fields (CrashPlan.Events' format).
    private async Task<(long Events, long Bytes, long Streams)> CountAsync(string schema, CancellationToken ct)
    {
        await using var source = DataSource();
        await using var cmd = source.CreateCommand(
            $"SELECT (SELECT count(*) FROM \"{schema}\".events), " +
            $"(SELECT coalesce(sum(octet_length(format('{{\"append\":%s,\"index\":%s,\"note\":\"crash test payload %s/%s\"}}', " +
            $"data_json->>'append', data_json->>'index', data_json->>'append', data_json->>'index'))), 0)::bigint FROM \"{schema}\".events), " +
            $"(SELECT count(*) FROM \"{schema}\".streams)");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }
}
