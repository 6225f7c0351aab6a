using System.Text;
using Eventuali.InMemory;
using Eventuali.Lifecycle;
using Eventuali.Typed;

namespace Eventuali.Core.Tests;

/// <summary>How many store calls a load of the latest state makes: one read for a whole stream, the version only when needed.</summary>
public sealed class LatestLoadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [EventType("latest-counted")]
    public sealed record Counted(int N);

    public sealed class Counter : Aggregate
    {
        public int Total { get; private set; }

        private void Apply(Counted e) => Total += e.N;
    }

    /// <summary>The base contract only, counting the calls a load makes.</summary>
    private sealed class CountingStore(IEventStore inner) : IEventStore
    {
        public int StreamReads;
        public int VersionQueries;

        public EventStoreOptions Options => inner.Options;

        public ValueTask<AppendResult> AppendAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
            => inner.AppendAsync(streamId, expectedVersion, events, cancellationToken);

        public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long fromVersion = 1, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward, CancellationToken cancellationToken = default)
        {
            StreamReads++;
            return inner.ReadStreamAsync(streamId, fromVersion, maxCount, direction, cancellationToken);
        }

        public IAsyncEnumerable<RecordedEvent> ReadAllAsync(long fromPosition = 1, int maxCount = int.MaxValue, EventFilter? filter = null, CancellationToken cancellationToken = default)
            => inner.ReadAllAsync(fromPosition, maxCount, filter, cancellationToken);

        public ValueTask<long?> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
        {
            VersionQueries++;
            return inner.GetStreamVersionAsync(streamId, cancellationToken);
        }

        public ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) => inner.GetHeadPositionAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private static EventData[] Events(params int[] values)
        => [.. values.Select(n => EventData.Create("latest-counted", Encoding.UTF8.GetBytes($$"""{"n":{{n}}}""")))];

    [Fact]
    public async Task A_whole_stream_is_loaded_with_one_read_and_no_version_query()
    {
        await using var store = new CountingStore(new InMemoryEventStore());
        await store.AppendAsync("counter-a", ExpectedVersion.NoStream, Events(1, 2, 3), Ct);

        var counter = await store.LoadAsync<Counter>("a", Ct);

        Assert.NotNull(counter);
        Assert.Equal((6, 3L), (counter.Total, counter.Version));
        Assert.Equal((1, 0), (store.StreamReads, store.VersionQueries));
    }

    [Fact]
    public async Task An_id_without_a_stream_asks_for_the_version_and_loads_as_new()
    {
        await using var store = new CountingStore(new InMemoryEventStore());

        Assert.Null(await store.LoadAsync<Counter>("none", Ct));
        var fresh = await store.LoadOrCreateAsync<Counter>("none", Ct);

        Assert.Equal((0, 0L, "none"), (fresh.Total, fresh.Version, fresh.Id));
        Assert.Equal(2, store.VersionQueries);
    }

    [Fact]
    public async Task A_stream_truncated_at_its_start_is_never_loaded_from_its_remaining_events()
    {
        await using var inner = new InMemoryEventStore();
        await inner.AppendAsync("counter-t", ExpectedVersion.NoStream, Events(1, 2, 3, 4), Ct);
        await inner.TruncateStreamAsync("counter-t", 3, Ct);

        await Assert.ThrowsAsync<StreamTruncatedException>(async () => await inner.LoadAsync<Counter>("t", Ct));
    }
}
