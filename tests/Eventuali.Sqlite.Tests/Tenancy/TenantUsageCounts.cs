using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite.Tests.Tenancy;

/// <summary>What a tenant's file actually holds, counted with SQL straight on the file (the truth usage must equal).</summary>
internal sealed record TenantUsageCounts(long Events, long Bytes, long Streams)
{
    public static async Task<TenantUsageCounts> CountAsync(string file)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        await using var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM events), (SELECT coalesce(sum(length(CAST(data AS BLOB))), 0) FROM events), (SELECT count(*) FROM streams)";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new TenantUsageCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }
}
