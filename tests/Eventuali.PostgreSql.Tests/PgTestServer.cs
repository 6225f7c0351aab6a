using Npgsql;

namespace Eventuali.PostgreSql.Tests;

/// <summary>The test server (env EVENTUALI_TEST_POSTGRES, or the URL scripts/postgres.sh prints) and throwaway schemas.</summary>
public static class PgTestServer
{
    public const string DefaultUrl = "postgresql://eventuali:eventuali@127.0.0.1:54329/eventuali";

    public static string Url => Environment.GetEnvironmentVariable("EVENTUALI_TEST_POSTGRES") is { Length: > 0 } url ? url : DefaultUrl;

    private static readonly Lazy<Task<string>> Checked = new(CheckAsync);

    /// <summary>The server's URL, after checking once that it answers; fails (never skips) when it does not.</summary>
    public static Task<string> UrlAsync() => Checked.Value;

    public static string NewSchemaName(string purpose) => $"t_{purpose}_{Guid.NewGuid():N}"[..Math.Min(63, purpose.Length + 35)].ToLowerInvariant();

    public static string WithSchema(string url, string schema) => url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "schema=" + schema;

    /// <summary>An Npgsql connection string for raw SQL in tests.</summary>
    public static async Task<NpgsqlDataSource> RawAsync() => Raw(await UrlAsync());

    private static NpgsqlDataSource Raw(string url) => NpgsqlDataSource.Create(PgUrl.Parse(url).Builder.ConnectionString);

    public static async Task DropSchemaAsync(string schema)
    {
        await using var ds = await RawAsync();
        await using var cmd = ds.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<string> CheckAsync()
    {
        var url = Url;
        try
        {
            await using var ds = Raw(url);
            await using var cmd = ds.CreateCommand("SELECT 1");
            await cmd.ExecuteScalarAsync();
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL test server at {PgUrl.Redact(url)} is not answering. Start it with scripts/postgres.sh " +
                $"(or set EVENTUALI_TEST_POSTGRES to a server URL). Cause: {ex.Message}", ex);
        }

        return url;
    }
}
