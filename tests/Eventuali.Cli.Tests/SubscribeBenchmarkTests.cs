using System.Text.Json;

namespace Eventuali.Cli.Tests;

public sealed class SubscribeBenchmarkTests
{
    private static readonly string[] CommonKeys = ["workload", "backend", "events", "seconds", "events_per_sec", "p50_ms", "p99_ms", "peak_working_set_mb"];

    [Theory]
    [InlineData("sqlite", null)]
    [InlineData("memory", "memory://")]
    public async Task Subscribe_reports_catch_up_rate_and_live_latency(string backend, string? url)
    {
        using var dir = new TempDirectory();
        string[] args = ["benchmark", "--workload", "subscribe", "--events", "2000", "--durability", "relaxed", "--json"];
        var result = await CliProcess.RunAsync(dir.Path, url is null ? args : [.. args, "-d", url]);
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(Assert.Single(result.OutLines));
        var root = json.RootElement;
        Assert.Equal(CommonKeys.Append("catchup_events_per_sec").Order(), root.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("subscribe", root.GetProperty("workload").GetString());
        Assert.Equal(backend, root.GetProperty("backend").GetString());
        Assert.Equal(2000 + 100, root.GetProperty("events").GetInt64()); // catch-up events plus the live appends
        Assert.True(root.GetProperty("catchup_events_per_sec").GetDouble() > 0);
        Assert.True(root.GetProperty("p99_ms").GetDouble() >= root.GetProperty("p50_ms").GetDouble());
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task Stream_feeds_every_subscriber_and_keeps_the_common_keys()
    {
        using var dir = new TempDirectory();
        var result = await CliProcess.RunAsync(dir.Path, "benchmark", "-w", "stream", "-n", "20000", "--subscribers", "3", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(Assert.Single(result.OutLines));
        var root = json.RootElement;
        Assert.Equal(CommonKeys.Order(), root.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("in-process", root.GetProperty("backend").GetString());
        Assert.Equal(20000, root.GetProperty("events").GetInt64());
        Assert.True(root.GetProperty("events_per_sec").GetDouble() > 0);
    }

    [Fact]
    public async Task Zero_subscribers_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        var result = await CliProcess.RunAsync(dir.Path, "benchmark", "-w", "stream", "--subscribers", "0");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("subscribers", result.Error, StringComparison.OrdinalIgnoreCase);
    }
}
