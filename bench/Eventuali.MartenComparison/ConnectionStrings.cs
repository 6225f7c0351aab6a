namespace Eventuali.MartenComparison;

internal static class ConnectionStrings
{
    /// <summary>Marten takes an Npgsql connection string; the comparison takes the same URL as Eventuali.</summary>
    public static string FromUrl(string url) => Eventuali.Bench.BenchPostgres.ConnectionString(url);
}
