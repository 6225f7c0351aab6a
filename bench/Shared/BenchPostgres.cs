using Npgsql;

namespace Eventuali.Bench;

/// <summary>The benches take the same postgresql:// URL as Eventuali; these turn it into what Npgsql and Marten take.</summary>
internal static class BenchPostgres
{
    /// <summary>The Npgsql connection string of <paramref name="url"/> (postgresql://user:password@host:port/database).</summary>
    public static string ConnectionString(string url)
    {
        var uri = new Uri(url);
        var user = uri.UserInfo.Split(':', 2);
        return new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port > 0 ? uri.Port : 5432,
            Database = uri.AbsolutePath.TrimStart('/'),
            Username = Uri.UnescapeDataString(user[0]),
            Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null,
        }.ConnectionString;
    }

    /// <summary>Drops <paramref name="schema"/> (a fixed bench name, not user input) so a run starts from an empty store.</summary>
    public static async Task DropSchemaAsync(string url, string schema)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(url));
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
