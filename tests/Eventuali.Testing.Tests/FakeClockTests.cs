using Eventuali.InMemory;
using Eventuali.Testing;

namespace Eventuali.Testing.Tests;

public sealed class FakeClockTests
{
    [Fact]
    public async Task A_store_wired_to_the_fake_clock_stamps_events_with_its_time_and_follows_it()
    {
        var clock = TestClock.Create();
        await using var store = new InMemoryEventStore(new EventStoreOptions().WithClock(clock));
        await store.AppendAsync("s-1", ExpectedVersion.NoStream, [EventData.Create("x", "{}"u8.ToArray())], TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromHours(3));
        await store.AppendAsync("s-1", ExpectedVersion.Exact(1), [EventData.Create("x", "{}"u8.ToArray())], TestContext.Current.CancellationToken);

        var stamps = new List<DateTimeOffset>();
        await foreach (var e in store.ReadStreamAsync("s-1", cancellationToken: TestContext.Current.CancellationToken))
        {
            stamps.Add(e.Timestamp);
        }

        Assert.Equal([TestClock.DefaultStart, TestClock.DefaultStart.AddHours(3)], stamps);
    }
}
