using System.Diagnostics;

namespace Eventuali.PostgreSql.Tests;

/// <summary>Runs the repository's server scripts (scripts/NAME.sh) the way CI does, with this process's environment.</summary>
public static class TestScripts
{
    /// <summary>Runs <c>bash scripts/{name} {args}</c>; returns its standard output, fails the test when it fails.</summary>
    public static async Task<string> RunAsync(string name, string args, TimeSpan timeout, CancellationToken ct)
    {
        var script = Path.Combine(RepositoryRoot(name), "scripts", name);
        using var process = Process.Start(new ProcessStartInfo("bash", [script, .. args.Split(' ', StringSplitOptions.RemoveEmptyEntries)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"scripts/{name} {args} failed ({process.ExitCode}): {await stderr} {await stdout}");
        return await stdout;
    }

    private static string RepositoryRoot(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "scripts", name)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"scripts/{name} was not found above the test's directory.");
    }
}
