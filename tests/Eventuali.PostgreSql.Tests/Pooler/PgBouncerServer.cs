using System.Diagnostics;

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
    public static async Task RestartAsync(CancellationToken ct)
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "pgbouncer.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, "restart"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"scripts/pgbouncer.sh restart failed ({process.ExitCode}): {await stderr} {await stdout}");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "pgbouncer.sh")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("scripts/pgbouncer.sh was not found above the test's directory.");
    }
}
