using System.Text.Json;

namespace Eventuali.Cli.Tests;

public sealed class BenchmarkTests
{
    private static readonly string[] RequiredKeys = ["workload", "backend", "events", "seconds", "events_per_sec", "p50_ms", "p99_ms", "peak_working_set_mb"];

    [Theory]
    [InlineData("append-batch")]
    [InlineData("load-aggregate")]
    public async Task Json_output_is_exactly_one_object_with_the_measured_figures(string workload)
    {
        using var dir = new TempDirectory();
        var result = await CliProcess.RunAsync(dir.Path, "benchmark", "--workload", workload, "--events", "500", "--durability", "relaxed", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        var line = Assert.Single(result.OutLines);
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal(RequiredKeys.Order(), root.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(workload, root.GetProperty("workload").GetString());
        Assert.Equal("sqlite", root.GetProperty("backend").GetString());
        Assert.Equal(500, root.GetProperty("events").GetInt64());
        Assert.True(root.GetProperty("events_per_sec").GetDouble() > 0);
        Assert.True(root.GetProperty("seconds").GetDouble() > 0);
        Assert.True(root.GetProperty("p99_ms").GetDouble() >= root.GetProperty("p50_ms").GetDouble());
        Assert.True(root.GetProperty("peak_working_set_mb").GetDouble() > 1);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task A_given_store_keeps_existing_events_and_gets_fresh_streams()
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("bench.db");
        var seed = await CliProcess.RunAsync(dir.Path, "append", "-d", db, "-s", "mine-1", "-t", "t", "--data", "{}");
        Assert.True(seed.ExitCode == 0, seed.ToString());

        var result = await CliProcess.RunAsync(dir.Path, "benchmark", "-d", db, "--workload", "read-all", "--events", "300", "--batch", "20");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Throughput", result.Out, StringComparison.Ordinal);
        Assert.Contains("not empty", result.Error, StringComparison.Ordinal);

        var mine = await CliProcess.RunAsync(dir.Path, "read", "-d", db, "--stream", "mine-1");
        Assert.Single(mine.OutLines);
        var bench = await CliProcess.RunAsync(dir.Path, "read", "-d", db, "--all", "--category", "bench-");
        Assert.Equal(300, bench.OutLines.Length);
    }

    [Fact]
    public async Task Memory_backend_runs_every_workload()
    {
        using var dir = new TempDirectory();
        foreach (var workload in (string[])["append-single", "append-concurrent", "read-all"])
        {
            var result = await CliProcess.RunAsync(dir.Path, "benchmark", "-d", "memory://", "-w", workload, "-n", "400", "-c", "4", "--json");
            Assert.True(result.ExitCode == 0, result.ToString());
            using var json = JsonDocument.Parse(Assert.Single(result.OutLines));
            Assert.Equal("memory", json.RootElement.GetProperty("backend").GetString());
            Assert.Equal(400, json.RootElement.GetProperty("events").GetInt64());
        }
    }
}
