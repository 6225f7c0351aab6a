using System.Text;
using Eventuali.Tenancy;
using Npgsql;

namespace Eventuali.PostgreSql.Tests.Tenancy;

/// <summary>Throwaway schema-per-tenant stores on the test server: a fresh short base schema each, dropped with its tenants' schemas.</summary>
internal static class PgTenants
{
    /// <summary>A base schema of 12 characters, the longest tenancy=schema takes.</summary>
    public static string NewBase() => "tn" + Guid.NewGuid().ToString("N")[..10];

    public static async Task<string> UrlAsync(string baseSchema, string? extra = null)
        => PgTestServer.WithSchema(await PgTestServer.UrlAsync(), baseSchema) + "&tenancy=schema" + (extra is null ? string.Empty : "&" + extra);

    public static async Task<PostgreSqlTenantStoreFactory> OpenAsync(string baseSchema, string? extra = null, EventStoreOptions? options = null)
        => await PostgreSqlTenantStoreFactory.OpenAsync(await UrlAsync(baseSchema, extra), options ?? EventStoreOptions.Default, cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>The role scripts/postgres.sh makes for the cross-tenant analytics reader.</summary>
    public const string AnalyticsRole = "eventuali_analytics";

    /// <summary>The test server's URL as the analytics reader (env EVENTUALI_TEST_POSTGRES_ANALYTICS, or the role postgres.sh makes).</summary>
    public static async Task<string> ReaderUrlAsync()
        => Environment.GetEnvironmentVariable("EVENTUALI_TEST_POSTGRES_ANALYTICS") is { Length: > 0 } url
            ? url
            : new UriBuilder(await PgTestServer.UrlAsync()) { UserName = AnalyticsRole, Password = AnalyticsRole }.Uri.ToString();

    /// <summary>Drops the base schema and every tenant schema under it.</summary>
    public static async Task DropAsync(string baseSchema)
    {
        await using var ds = await PgTestServer.RawAsync();
        var schemas = new List<string>();
        await using (var cmd = ds.CreateCommand("SELECT nspname FROM pg_namespace WHERE nspname = $1 OR starts_with(nspname, $1 || '_t_')"))
        {
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = baseSchema });
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                schemas.Add(reader.GetString(0));
            }
        }

        foreach (var schema in schemas)
        {
            await PgTestServer.DropSchemaAsync(schema);
        }
    }

    /// <summary>What a tenant's schema actually holds, counted with SQL (the truth usage must equal).</summary>
    public static async Task<(long Events, long Bytes, long Streams)> CountAsync(string schema)
    {
        await using var ds = await PgTestServer.RawAsync();
        await using var cmd = ds.CreateCommand(
            $"SELECT (SELECT count(*) FROM \"{schema}\".events), " +
            $"(SELECT coalesce(sum(octet_length(coalesce(data_bytes, convert_to(data_json::text, 'UTF8')))), 0)::bigint FROM \"{schema}\".events), " +
            $"(SELECT count(*) FROM \"{schema}\".streams)");
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>An event whose JSON is in jsonb's own text form, so its stored size equals the bytes sent.</summary>
    public static EventData Event(string type, int n) => new(EventData.NewEventId(), type, Encoding.UTF8.GetBytes($"{{\"n\": {n}}}"));
}
