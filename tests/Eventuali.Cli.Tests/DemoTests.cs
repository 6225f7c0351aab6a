namespace Eventuali.Cli.Tests;

public sealed class DemoTests
{
    [Fact]
    public async Task Demo_writes_a_fresh_sqlite_file_each_run()
    {
        using var dir = new TempDirectory();
        for (var run = 0; run < 2; run++)
        {
            var demo = await CliProcess.RunAsync(dir.Path, "demo");
            Assert.True(demo.ExitCode == 0, demo.ToString());
            Assert.Contains("copy B's save was refused: Concurrency conflict on stream 'account-alice'", demo.Out, StringComparison.Ordinal);
            Assert.Contains("no overdraft", demo.Out, StringComparison.Ordinal);
            Assert.Contains("total money across accounts: 780.00", demo.Out, StringComparison.Ordinal);
        }

        // The second run deleted the first run's file: the log holds one run's events only.
        var all = await CliProcess.RunAsync(dir.Path, "read", "-d", "sqlite://eventuali-demo.db", "--all");
        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.Equal(9, all.OutLines.Length);
        var alice = await CliProcess.RunAsync(dir.Path, "read", "-d", "sqlite://eventuali-demo.db", "--stream", "account-alice");
        Assert.Equal(5, alice.OutLines.Length);
    }
}
