using System.Globalization;
using Npgsql;

namespace Eventuali.ServerBench;

/// <summary>Medians, the load average, and the two stores the bench runs on.</summary>
internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The 1-minute load average (Linux), or "?": on a shared machine it says how loaded a figure is.</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    public static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The PostgreSQL URL (EVENTUALI_TEST_POSTGRES, default scripts/postgres.sh's) in schema "serverbench", dropped first.</summary>
    public static async Task<string> FreshPostgresAsync()
    {
        var url = Environment.GetEnvironmentVariable("EVENTUALI_TEST_POSTGRES") is { Length: > 0 } u ? u : "postgresql://eventuali:eventuali@127.0.0.1:54329/eventuali";
        var uri = new Uri(url);
        var user = uri.UserInfo.Split(':', 2);
        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port > 0 ? uri.Port : 5432,
            Database = uri.AbsolutePath.TrimStart('/'),
            Username = Uri.UnescapeDataString(user[0]),
            Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null,
        }.ConnectionString;
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand("DROP SCHEMA IF EXISTS serverbench CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }

        return url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "schema=serverbench";
    }

    /// <summary>A SQLite file in a fresh temporary directory (deleted by the caller).</summary>
    public static (string Url, DirectoryInfo Directory) FreshSqlite()
    {
        var directory = Directory.CreateTempSubdirectory("eventuali-serverbench-");
        return ("sqlite://" + Path.Combine(directory.FullName, "events.db"), directory);
    }
}
