using Eventuali.InMemory;
using Eventuali.Snapshots;
using Eventuali.Typed;

namespace Eventuali.Core.Tests;

/// <summary>A snapshot that cannot be stored never fails the save that triggered it; it is reported.</summary>
public sealed class SnapshotWriteFailureTests
{
    [Theory]
    [InlineData(SnapshotTiming.Inline)]
    [InlineData(SnapshotTiming.Background)]
    public async Task A_failing_snapshot_write_is_reported_and_the_save_stands(SnapshotTiming timing)
    {
        var issues = new List<SnapshotIssue>();
        var options = new EventStoreOptions
        {
            Snapshots = new SnapshotOptions { OnIssue = i => { lock (issues) { issues.Add(i); } } }.For<Counter>(SnapshotPolicy.Every(2) with { Timing = timing }),
        };
        await using var store = new BrokenSnapshots(new InMemoryEventStore(options));
        var counter = Counter.Start("c1");
        counter.Add(5);
        var saved = await store.SaveAsync(counter, cancellationToken: TestContext.Current.CancellationToken);
        await store.FlushSnapshotsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, saved.StreamVersion);
        var issue = Assert.Single(issues);
        Assert.Equal((SnapshotIssueKind.WriteFailed, 2L, "counter-c1"), (issue.Kind, issue.Version, issue.StreamId));
        Assert.IsType<EventStoreUnavailableException>(issue.Exception);
        var loaded = await store.LoadWithReportAsync<Counter>("c1", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal((5, 2L, (long?)null), (loaded.Aggregate.Total, loaded.Aggregate.Version, loaded.SnapshotVersion));
    }

    [Fact]
    public async Task Taking_a_snapshot_by_hand_needs_a_saved_snapshottable_aggregate()
    {
        await using var store = new InMemoryEventStore();
        var counter = Counter.Start("c2");
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.TakeSnapshotAsync(counter, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("never been saved", ex.Message, StringComparison.Ordinal);
        await store.SaveAsync(counter, cancellationToken: TestContext.Current.CancellationToken);
        counter.Add(1);
        ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.TakeSnapshotAsync(counter, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("unsaved events", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.TakeSnapshotAsync(new Plain(), cancellationToken: TestContext.Current.CancellationToken));
    }

    [EventType("test.counter-started")]
    public sealed record CounterStarted(string Id);

    [EventType("test.counter-added")]
    public sealed record CounterAdded(int By);

    public sealed record CounterState(int Total);

    [StreamCategory("counter")]
    public sealed class Counter : Aggregate, ISnapshottable<CounterState>
    {
        public int Total { get; private set; }

        public static Counter Start(string id)
        {
            var c = new Counter();
            c.Raise(new CounterStarted(id));
            return c;
        }

        public void Add(int by) => Raise(new CounterAdded(by));

        public CounterState CaptureSnapshot() => new(Total);

        public void RestoreSnapshot(CounterState state) => Total = state.Total;

        private void Apply(CounterStarted e) => Id = e.Id;

        private void Apply(CounterAdded e) => Total += e.By;
    }

    public sealed class Plain : Aggregate;

    /// <summary>Events work; every snapshot write fails as an unreachable database would.</summary>
    private sealed class BrokenSnapshots(InMemoryEventStore inner) : IEventStore, ISnapshotStore
    {
        public EventStoreOptions Options => inner.Options;

        public ValueTask<AppendResult> AppendAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
            => inner.AppendAsync(streamId, expectedVersion, events, cancellationToken);

        public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long fromVersion = StreamVersion.Start, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward, CancellationToken cancellationToken = default)
            => inner.ReadStreamAsync(streamId, fromVersion, maxCount, direction, cancellationToken);

        public IAsyncEnumerable<RecordedEvent> ReadAllAsync(long fromPosition = 1, int maxCount = int.MaxValue, EventFilter? filter = null, CancellationToken cancellationToken = default)
            => inner.ReadAllAsync(fromPosition, maxCount, filter, cancellationToken);

        public ValueTask<long?> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default) => inner.GetStreamVersionAsync(streamId, cancellationToken);

        public ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) => inner.GetHeadPositionAsync(cancellationToken);

        public ValueTask WriteSnapshotAsync(StoredSnapshot snapshot, CancellationToken cancellationToken = default)
            => throw new EventStoreUnavailableException("snapshot table unreachable (test)");

        public ValueTask<StoredSnapshot?> ReadSnapshotAsync(string streamId, long maxVersion = long.MaxValue, CancellationToken cancellationToken = default)
            => inner.ReadSnapshotAsync(streamId, maxVersion, cancellationToken);

        public IAsyncEnumerable<SnapshotInfo> ListSnapshotsAsync(string streamId, CancellationToken cancellationToken = default) => inner.ListSnapshotsAsync(streamId, cancellationToken);

        public ValueTask<int> PruneSnapshotsAsync(string streamId, int keep, CancellationToken cancellationToken = default) => inner.PruneSnapshotsAsync(streamId, keep, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
