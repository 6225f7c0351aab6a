using Npgsql;

namespace Eventuali.Hosting.Tests;

/// <summary>
/// A fresh schema on the test PostgreSQL server (EVENTUALI_TEST_POSTGRES, else the URL scripts/postgres.sh prints by
/// default), dropped afterwards. A server that does not answer fails the test; it is never skipped.
/// </summary>
internal sealed class PgScratch : IAsyncDisposable
{
    private const string DefaultUrl = "postgresql://eventuali:eventuali@127.0.0.1:54329/eventuali";

    public PgScratch(string purpose)
    {
        Schema = $"hosting_{purpose}_{Guid.NewGuid():N}"[..Math.Min(60, purpose.Length + 24)].ToLowerInvariant();
        Url = ServerUrl + (ServerUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "schema=" + Schema;
        DataSource = NpgsqlDataSource.Create(ConnectionString());
    }

    public static string ServerUrl => Environment.GetEnvironmentVariable("EVENTUALI_TEST_POSTGRES") is { Length: > 0 } url ? url : DefaultUrl;

    public string Schema { get; }

    /// <summary>The store URL with this schema.</summary>
    public string Url { get; }

    /// <summary>Raw connections to the server, for what a test does behind the store's back.</summary>
    public NpgsqlDataSource DataSource { get; }

    public async ValueTask DisposeAsync()
    {
        await using (var drop = DataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE"))
        {
            await drop.ExecuteNonQueryAsync();
        }

        await DataSource.DisposeAsync();
    }

    private static string ConnectionString()
    {
        var uri = new Uri(ServerUrl);
        var user = uri.UserInfo.Split(':');
        return new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port,
            Username = Uri.UnescapeDataString(user[0]),
            Password = Uri.UnescapeDataString(user.ElementAtOrDefault(1) ?? string.Empty),
            Database = uri.AbsolutePath.TrimStart('/'),
        }.ConnectionString;
    }
}
