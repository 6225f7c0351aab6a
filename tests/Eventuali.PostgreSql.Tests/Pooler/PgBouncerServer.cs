namespace Eventuali.PostgreSql.Tests;

/// <summary>
/// The PgBouncer in transaction mode that scripts/pgbouncer.sh runs in front of the test server (env
/// EVENTUALI_TEST_PGBOUNCER, as the script prints it), and restarting it through the same script.
/// </summary>
public static class PgBouncerServer
{
    public const string DefaultUrl = "postgresql://eventuali:eventuali@127.0.0.1:56432/eventuali?pooler=transaction&direct=127.0.0.1:54329";

    /// <summary>The URL through the bouncer, with <c>pooler=transaction&amp;direct=...</c>.</summary>
    public static string Url => Environment.GetEnvironmentVariable("EVENTUALI_TEST_PGBOUNCER") is { Length: > 0 } url ? url : DefaultUrl;

    /// <summary>The URL without its direct server: everything through the bouncer.</summary>
    public static string UrlWithoutDirect
    {
        get
        {
            var url = Url;
            var at = url.IndexOf("&direct=", StringComparison.Ordinal);
            if (at < 0)
            {
                return url;
            }

            var end = url.IndexOf('&', at + 1);
            return end < 0 ? url[..at] : url[..at] + url[end..];
        }
    }

    /// <summary>Runs <c>scripts/pgbouncer.sh restart</c> (a stop that cuts every connection, then a start); fails when it fails.</summary>
    public static Task RestartAsync(CancellationToken ct) => TestScripts.RunAsync("pgbouncer.sh", "restart", TimeSpan.FromSeconds(60), ct);
}
