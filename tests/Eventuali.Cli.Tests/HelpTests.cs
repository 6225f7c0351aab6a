namespace Eventuali.Cli.Tests;

public sealed class HelpTests
{
    [Theory]
    [InlineData("init")]
    [InlineData("append")]
    [InlineData("read")]
    [InlineData("query")]
    [InlineData("export")]
    [InlineData("import")]
    [InlineData("stats")]
    [InlineData("verify")]
    [InlineData("demo")]
    [InlineData("benchmark")]
    [InlineData("audit")]
    [InlineData("serve")]
    public async Task Every_command_has_help_with_examples(string command)
    {
        using var dir = new TempDirectory();
        var result = await CliProcess.RunAsync(dir.Path, command, "--help");
        Assert.True(result.ExitCode == 0, result.ToString());
        var examples = Array.IndexOf(result.OutLines, "Examples:");
        Assert.True(examples > 0, result.ToString());
        Assert.StartsWith("eventuali " + (command == "demo" ? "demo" : string.Empty), result.OutLines[examples + 1], StringComparison.Ordinal);
        Assert.Empty(result.Error);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
