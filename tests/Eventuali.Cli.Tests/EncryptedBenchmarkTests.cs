namespace Eventuali.Cli.Tests;

public sealed class EncryptedBenchmarkTests
{
    [Fact]
    public async Task Append_batch_with_encrypted_fields_runs_and_says_so()
    {
        using var dir = new TempDirectory();
        var run = await CliProcess.RunAsync(dir.Path, "benchmark", "-w", "append-batch", "--events", "200", "--durability", "relaxed", "--encrypt-fields", "1");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("encrypted for 10000 data subjects", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Encrypted_fields_out_of_range_or_on_another_workload_are_refused()
    {
        using var dir = new TempDirectory();
        var tooMany = await CliProcess.RunAsync(dir.Path, "benchmark", "-w", "append-batch", "--events", "10", "--encrypt-fields", "9");
        Assert.Equal(2, tooMany.ExitCode);
        Assert.Contains("0 to 5", tooMany.Error, StringComparison.Ordinal);
        var other = await CliProcess.RunAsync(dir.Path, "benchmark", "-w", "read-all", "--events", "10", "--encrypt-fields", "1");
        Assert.Equal(2, other.ExitCode);
        Assert.DoesNotContain("{", other.Out, StringComparison.Ordinal);
    }
}
