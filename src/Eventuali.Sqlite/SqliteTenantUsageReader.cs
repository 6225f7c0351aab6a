using Eventuali.Tenancy;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite;

/// <summary>
/// Reads a tenant's metered usage straight from its file (read-only, unpooled, so nothing stays open), without opening
/// its store: suspended tenants are reported too. A tenant whose store was never opened has used nothing.
/// </summary>
internal static class SqliteTenantUsageReader
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Sql = new(() => SqlFile.Load("usage.sql"));

    public static TenantUsage Read(TenantId tenant, string file, DateOnly? from, DateOnly? to)
    {
        if (!File.Exists(file))
        {
            return new TenantUsage(tenant, from, to, 0, 0, 0, 0, 0);
        }

        var builder = new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Sql.Value["usage_report"];
        command.Parameters.AddWithValue("$from", from is { } f ? TenantQuotaRules.DayOf(f) : long.MinValue);
        command.Parameters.AddWithValue("$to", to is { } t ? TenantQuotaRules.DayOf(t) : long.MaxValue);
        using var reader = command.ExecuteReader();
        reader.Read();
        return new TenantUsage(tenant, from, to, reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), StorageOf(file));
    }

    private static long StorageOf(string file)
    {
        var wal = new FileInfo(file + "-wal");
        return new FileInfo(file).Length + (wal.Exists ? wal.Length : 0);
    }
}
