namespace Eventuali.PostgreSql.Tests;

/// <summary>The failover test's explanation of a difference, on the case of issue 19 (no server needed).</summary>
public sealed class LogDifferenceTests
{
    [Fact]
    public void The_same_events_in_the_same_order_are_no_difference()
    {
        var log = new[] { Event(1, "a"), Event(2, "b") };
        Assert.Null(LogDifference.Describe(log, [.. log]));
    }

    [Fact]
    public void An_event_delivered_from_the_old_primary_and_again_at_its_new_position_is_named_with_both_positions()
    {
        // Delivered at 3 << 20 from the old primary, which did not keep it; its append was retried at 9 << 20.
        var a = Event(2 << 20, "a");
        var b = Event(4 << 20, "b");
        var ghost = Event(3 << 20, "g");
        var retried = ghost with { Position = 9L << 20 };
        var text = LogDifference.Describe([a, b, retried], [a, ghost, b, retried], new HashSet<Guid> { ghost.EventId });

        Assert.NotNull(text);
        Assert.Contains("the subscription delivered 4 events, the log holds 3; the first difference is at index 1", text);
        Assert.Contains("delivered more than once: 2", text);
        Assert.Contains($"delivered at another position than the log's: 1 - {ghost.EventId} s-g@1 at {3 << 20} (3:0) [outcome was unknown]", text);
        Assert.Contains("in the log, never delivered: 0", text);
    }

    private static RecordedEvent Event(long position, string stream)
        => new($"s-{stream}", 1, position, Guid.NewGuid(), "noted", new byte[] { 123, 125 }, EventMetadata.Empty, DateTimeOffset.UnixEpoch, "application/json");
}
