using Eventuali.Tools.Analytics;
using static Eventuali.Tools.Tests.TestEvents;

namespace Eventuali.Tools.Tests;

public sealed class WindowedAggregationTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_non_positive_window_size_is_refused_naming_it(int seconds)
    {
        var tumbling = Assert.Throws<ArgumentOutOfRangeException>(() => WindowSpec.Tumbling(TimeSpan.FromSeconds(seconds)));
        var sliding = Assert.Throws<ArgumentOutOfRangeException>(() => WindowSpec.Sliding(TimeSpan.FromSeconds(seconds), Minute));

        Assert.Contains("window size must be positive", tumbling.Message, StringComparison.Ordinal);
        Assert.Contains("window size must be positive", sliding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_slide_that_is_not_positive_or_larger_than_the_size_is_refused()
    {
        Assert.Contains("window slide must be positive", Assert.Throws<ArgumentOutOfRangeException>(() => WindowSpec.Sliding(Minute, TimeSpan.Zero)).Message, StringComparison.Ordinal);
        Assert.Contains("must not exceed the window size", Assert.Throws<ArgumentOutOfRangeException>(() => WindowSpec.Sliding(Minute, 2 * Minute)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new WindowedAggregation<string>(WindowSpec.Tumbling(Minute), TimeSpan.FromSeconds(-1), _ => { }));
    }

    [Fact]
    public void Tumbling_windows_aggregate_per_key_and_close_when_the_watermark_passes_their_end()
    {
        var closed = new List<ClosedWindow<string>>();
        var windows = new WindowedAggregation<string>(WindowSpec.Tumbling(Minute), TimeSpan.FromSeconds(10), closed.Add);

        windows.Add("a", T0.AddSeconds(1), 5);
        windows.Add("a", T0.AddSeconds(30), 7);
        windows.Add("b", T0.AddSeconds(59), 1);
        windows.Add("a", T0.AddSeconds(65), 100); // watermark 00:55: the first window is still open
        Assert.Empty(closed);
        windows.Add("b", T0.AddSeconds(50), 2);   // late by 15 s of event time but within the allowed lateness of the watermark
        windows.Add("a", T0.AddSeconds(71), 1);   // watermark 01:01: the first window closes

        var first = Assert.Single(closed);
        Assert.Equal((T0, T0 + Minute), (first.Start, first.End));
        Assert.Equal(new WindowAggregate(2, 12, 5, 7), first.Aggregates["a"]);
        Assert.Equal(new WindowAggregate(2, 3, 1, 2), first.Aggregates["b"]);
        Assert.Equal(T0.AddSeconds(61), windows.Watermark);

        Assert.False(windows.Add("b", T0.AddSeconds(20), 1)); // its window has closed: late
        Assert.Equal(1, windows.LateEvents);

        windows.Flush();
        Assert.Equal(2, closed.Count);
        Assert.Equal(new WindowAggregate(2, 101, 1, 100), closed[1].Aggregates["a"]);
        Assert.Equal(50.5, closed[1].Aggregates["a"].Average);
    }

    [Fact]
    public void Sliding_windows_count_each_event_in_size_over_slide_windows()
    {
        var closed = new List<ClosedWindow<string>>();
        var windows = new WindowedAggregation<string>(WindowSpec.Sliding(Minute, TimeSpan.FromSeconds(20)), TimeSpan.Zero, closed.Add);

        windows.Add("k", T0.AddSeconds(25), 1);
        windows.Flush();

        // Windows holding 00:25 start at -00:20, 00:00 and 00:20.
        Assert.Equal([T0.AddSeconds(-20), T0, T0.AddSeconds(20)], closed.Select(w => w.Start));
        Assert.All(closed, w => Assert.Equal(1, w.Aggregates["k"].Count));
    }

    [Fact]
    public void Events_are_added_by_key_and_time_selectors()
    {
        var closed = new List<ClosedWindow<string>>();
        var windows = new WindowedAggregation<string>(WindowSpec.Tumbling(Minute), TimeSpan.Zero, closed.Add);
        windows.Add(Recorded("order-1", 1, "Placed", "{\"amount\":3}", T0), e => Statistics.StreamCategories.Of(e.StreamId));
        windows.Add(Recorded("order-2", 1, "Placed", "{\"amount\":4}", T0.AddSeconds(2)), e => Statistics.StreamCategories.Of(e.StreamId), _ => 4);
        windows.Flush();

        Assert.Equal(new WindowAggregate(2, 5, 1, 4), Assert.Single(closed).Aggregates["order"]);
    }
}
