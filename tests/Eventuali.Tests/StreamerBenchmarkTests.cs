using Eventuali.Benchmarking;

namespace Eventuali.Tests;

public sealed class StreamerBenchmarkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Benchmark_entry_point_measures_a_small_run()
    {
        var result = await StreamerBenchmark.RunAsync(20_000, 2, 100, Ct);
        Assert.Equal(2, result.EventsPerSecondPerSubscriber.Count);
        Assert.All(result.EventsPerSecondPerSubscriber, r => Assert.True(r > 0));
        Assert.Equal(400, result.LatencySamples);
        Assert.True(result.TotalSeconds >= result.PublishSeconds);
        Assert.True(result.LatencyP99 >= result.LatencyP50);
    }
}
