using System.Text.Json;

namespace Eventuali.Cli.Tests;

public sealed class BenchmarkTelemetryTests
{
    [Theory]
    [InlineData("off")]
    [InlineData("listener")]
    [InlineData("sdk")]
    public async Task Every_telemetry_mode_runs_and_prints_the_same_figures(string mode)
    {
        using var dir = new TempDirectory();
        var result = await CliProcess.RunAsync(dir.Path, "benchmark", "-w", "append-batch", "-n", "500", "--durability", "relaxed", "--telemetry", mode, "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(Assert.Single(result.OutLines));
        Assert.Equal(500, json.RootElement.GetProperty("events").GetInt64());
    }

    [Fact]
    public async Task An_unknown_telemetry_mode_is_refused_naming_the_choices()
    {
        using var dir = new TempDirectory();
        var result = await CliProcess.RunAsync(dir.Path, "benchmark", "-w", "append-batch", "-n", "10", "--telemetry", "otlp");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("otlp", result.Error, StringComparison.Ordinal);
        Assert.Contains("sdk", result.Error, StringComparison.Ordinal);
    }
}
