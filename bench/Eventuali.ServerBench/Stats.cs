using System.Globalization;
using Eventuali.Bench;

namespace Eventuali.ServerBench;

/// <summary>Medians, the load average, and the two stores the bench runs on.</summary>
internal static class Stats
{
    public static double Median(IEnumerable<double> values) => Figures.Median(values);

    /// <summary>The 1-minute load average (Linux), or "?": on a shared machine it says how loaded a figure is.</summary>
    public static string LoadAverage() => Figures.LoadAverage();

    public static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The PostgreSQL URL (EVENTUALI_TEST_POSTGRES, default scripts/postgres.sh's) in schema "serverbench", dropped first.</summary>
    public static async Task<string> FreshPostgresAsync()
    {
        var url = Environment.GetEnvironmentVariable("EVENTUALI_TEST_POSTGRES") is { Length: > 0 } u ? u : "postgresql://eventuali:eventuali@127.0.0.1:54329/eventuali";
        await BenchPostgres.DropSchemaAsync(url, "serverbench");
        return url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "schema=serverbench";
    }

    /// <summary>A SQLite file in a fresh temporary directory (deleted by the caller).</summary>
    public static (string Url, DirectoryInfo Directory) FreshSqlite()
    {
        var directory = Directory.CreateTempSubdirectory("eventuali-serverbench-");
        return ("sqlite://" + Path.Combine(directory.FullName, "events.db"), directory);
    }
}
