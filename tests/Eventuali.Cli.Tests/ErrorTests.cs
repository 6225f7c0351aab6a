namespace Eventuali.Cli.Tests;

public sealed class ErrorTests
{
    [Theory]
    [InlineData("frobnicate")]
    [InlineData("append", "--stream", "s", "--data", "{}")]
    [InlineData("read", "--all", "--no-such-option")]
    [InlineData("append", "-s", "s", "-t", "t", "--data", "{not json")]
    [InlineData("append", "-s", "s", "-t", "t", "--data", "{}", "--expected-version", "soon")]
    [InlineData("read", "--stream", "s", "--all")]
    [InlineData("benchmark", "--workload", "append-everything")]
    public async Task Bad_usage_exits_2_with_one_line_on_stderr(params string[] args)
    {
        using var dir = new TempDirectory();
        var result = await CliProcess.RunAsync(dir.Path, args);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Single(result.ErrorLines);
        Assert.StartsWith("eventuali: ", result.ErrorLines[0], StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task Unknown_scheme_is_named_and_passwords_are_hidden()
    {
        using var dir = new TempDirectory();
        var result = await CliProcess.RunAsync(dir.Path, "init", "--database", "mysql://root:hunter2@localhost/events");
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("'mysql'", line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Url_without_scheme_and_unusable_path_fail_with_one_line()
    {
        using var dir = new TempDirectory();
        var noScheme = await CliProcess.RunAsync(dir.Path, "init", "-d", "events.db");
        Assert.Equal(1, noScheme.ExitCode);
        Assert.Contains("no scheme", Assert.Single(noScheme.ErrorLines), StringComparison.Ordinal);

        var missingDir = await CliProcess.RunAsync(dir.Path, "init", "-d", "sqlite://" + dir.File("missing/sub/events.db"));
        Assert.Equal(1, missingDir.ExitCode);
        Assert.Contains("missing", Assert.Single(missingDir.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbose_adds_the_exception_details()
    {
        using var dir = new TempDirectory();
        var result = await CliProcess.RunAsync(dir.Path, "init", "-d", "nosuch://x", "--verbose");
        Assert.Equal(1, result.ExitCode);
        Assert.True(result.ErrorLines.Length > 1, result.ToString());
        Assert.Contains("EventStoreConfigurationException", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_exits_0()
    {
        using var dir = new TempDirectory();
        var result = await CliProcess.RunAsync(dir.Path, "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("benchmark", result.Out, StringComparison.Ordinal);
    }
}
