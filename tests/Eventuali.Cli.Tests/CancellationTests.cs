using System.Diagnostics;

namespace Eventuali.Cli.Tests;

public sealed class CancellationTests
{
    [Fact]
    public async Task Sigint_cancels_a_running_command_with_exit_130_and_one_line()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            Assert.Skip("SIGINT is sent with kill(1).");
        }

        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("big.db");
        var run = CliProcess.RunAsync(dir.Path, "benchmark", "-d", db, "--workload", "append-single", "--events", "10000000", "--durability", "relaxed");
        await WaitForEventsAsync(dir.File("big.db"), 5);
        var pid = FindChild(dir.Path);
        using (var kill = Process.Start("kill", ["-INT", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var result = await run;
        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.Equal("eventuali: cancelled.", Assert.Single(result.ErrorLines, l => !l.StartsWith("database:", StringComparison.Ordinal)));

        // What was committed before the cancellation is intact and readable.
        var read = await CliProcess.RunAsync(dir.Path, "read", "-d", db, "--all", "--max-count", "5");
        Assert.True(read.ExitCode == 0, read.ToString());
        Assert.Equal(5, read.OutLines.Length);
    }

    [Fact]
    public async Task Sigterm_is_handled_like_ctrl_c_and_the_benchmark_deletes_its_temporary_database()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            Assert.Skip("SIGTERM is sent with kill(1).");
        }

        using var dir = new TempDirectory();
        var temp = Directory.CreateDirectory(dir.File("tmp")).FullName;
        var run = CliProcess.RunAsync(dir.Path, new Dictionary<string, string?> { ["TMPDIR"] = temp }, "benchmark", "--workload", "append-single", "--events", "20000000", "--durability", "relaxed");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? database;
        while ((database = Directory.GetFiles(temp, "eventuali-bench-*.db").FirstOrDefault()) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "The benchmark did not create its temporary database within 60 s.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        await WaitForEventsAsync(database, 5);
        var pid = FindChild(dir.Path);
        using (var kill = Process.Start("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var result = await run;
        Assert.True(result.ExitCode == 143, result.ToString());
        Assert.Equal("eventuali: cancelled.", Assert.Single(result.ErrorLines));
        Assert.Empty(Directory.GetFiles(temp));
    }

    // Waits until the running command has committed at least `count` events (a loaded machine may take a while to start it).
    private static async Task WaitForEventsAsync(string file, long count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if (File.Exists(file))
                {
                    using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
                    conn.Open();
                    using var cmd = conn.CreateCommand();
                    cmd.CommandText = "SELECT count(*) FROM events";
                    if ((long)cmd.ExecuteScalar()! >= count)
                    {
                        return;
                    }
                }
            }
            catch (Microsoft.Data.Sqlite.SqliteException)
            {
                // Not created yet, or the schema is being written.
            }

            Assert.True(DateTime.UtcNow < deadline, $"The command did not commit {count} events within 60 s.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    // The CLI process whose working directory is the test's own temporary directory.
    private static int FindChild(string workingDirectory)
    {
        foreach (var process in Process.GetProcessesByName("dotnet"))
        {
            using (process)
            {
                try
                {
                    var cwd = new DirectoryInfo($"/proc/{process.Id}/cwd").ResolveLinkTarget(returnFinalTarget: true)?.FullName;
                    if (cwd == workingDirectory)
                    {
                        return process.Id;
                    }
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }

        throw new InvalidOperationException("The CLI process was not found.");
    }
}
