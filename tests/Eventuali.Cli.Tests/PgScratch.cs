using Npgsql;

namespace Eventuali.Cli.Tests;

/// <summary>A fresh schema on the test PostgreSQL server (EVENTUALI_TEST_POSTGRES), dropped afterwards.</summary>
internal sealed class PgScratch : IAsyncDisposable
{
    public const string DefaultUrl = "postgresql://eventuali:eventuali@127.0.0.1:54329/eventuali";

    public PgScratch(string purpose)
    {
        Schema = $"cli_{purpose}_{Guid.NewGuid():N}"[..Math.Min(60, purpose.Length + 20)].ToLowerInvariant();
        Url = ServerUrl + (ServerUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "schema=" + Schema;
    }

    public static string ServerUrl => Environment.GetEnvironmentVariable("EVENTUALI_TEST_POSTGRES") is { Length: > 0 } url ? url : DefaultUrl;

    public string Schema { get; }

    /// <summary>The store URL with this schema.</summary>
    public string Url { get; }

    public async ValueTask DisposeAsync()
    {
        var uri = new Uri(ServerUrl);
        var user = uri.UserInfo.Split(':');
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port,
            Username = Uri.UnescapeDataString(user[0]),
            Password = Uri.UnescapeDataString(user.ElementAtOrDefault(1) ?? string.Empty),
            Database = uri.AbsolutePath.TrimStart('/'),
        };
        await using var dataSource = NpgsqlDataSource.Create(builder);
        await using var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE");
        await drop.ExecuteNonQueryAsync();
    }
}
