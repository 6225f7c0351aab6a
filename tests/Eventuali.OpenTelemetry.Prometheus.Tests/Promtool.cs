using System.Diagnostics;

namespace Eventuali.OpenTelemetry.Prometheus.Tests;

/// <summary>Runs Debian's promtool (installed by scripts/prometheus.sh, which scripts/test.sh calls).</summary>
internal static class Promtool
{
    public static string Path =>
        Environment.GetEnvironmentVariable("EVENTUALI_PROMTOOL") is { Length: > 0 } configured
            ? configured
            : FindOnPath() ?? throw new InvalidOperationException(
                "promtool was not found (EVENTUALI_PROMTOOL is unset and it is not on PATH): run scripts/prometheus.sh, which installs Debian's prometheus package.");

    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo(Path)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string? FindOnPath()
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, "promtool"))
            .FirstOrDefault(File.Exists);
}

/// <summary>Files of the repository the tests check (deploy/ artifacts).</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    public static string PathOf(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Eventuali.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Eventuali.sln) was not found above " + AppContext.BaseDirectory);
    }
}
