using Eventuali.Auditing;
using Eventuali.InMemory;
using Eventuali.Security.Audit;

namespace Eventuali.Security.Tests.Audit;

/// <summary>The audit writer over the memory store: batches, writes what it holds on disposal, and loses nothing when a write fails.</summary>
public sealed class AuditWriterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Entries_are_written_in_one_batch_and_what_is_buffered_is_written_on_disposal()
    {
        await using var log = new CountingLog();
        var store = new LogStore(log);
        var audited = store.WithAudit(new AuditOptions { Mode = AuditMode.Full, FlushInterval = TimeSpan.FromHours(1) });
        for (var i = 0; i < 20; i++)
        {
            await audited.AppendAsync("w-" + i, ExpectedVersion.NoStream, [new EventData(Guid.NewGuid(), "t", "{}"u8.ToArray())], Ct);
        }

        // Nothing is written while the hour-long gathering window is open and nobody flushes.
        Assert.Null(await log.ReadAuditHeadAsync(Ct));
        await audited.DisposeAsync();
        Assert.Equal(20, (await log.ReadAuditHeadAsync(Ct))!.Position);
        Assert.Equal(1, log.Writes);
    }

    [Fact]
    public async Task A_failed_write_fails_the_flush_and_is_retried_until_it_is_stored()
    {
        await using var log = new CountingLog { Failing = true };
        await using var audited = new LogStore(log).WithAudit(new AuditOptions { Mode = AuditMode.Full, FlushInterval = TimeSpan.Zero });
        var interceptor = audited.Interceptors.OfType<AuditInterceptor>().Single();
        await audited.AppendAsync("f-1", ExpectedVersion.NoStream, [new EventData(Guid.NewGuid(), "t", "{}"u8.ToArray())], Ct);

        var error = await Assert.ThrowsAsync<TimeoutException>(async () => await interceptor.FlushAsync(Ct));
        Assert.Equal("audit storage down", error.Message);
        log.Failing = false;
        await interceptor.FlushAsync(Ct);
        var head = (await log.ReadAuditHeadAsync(Ct))!;
        Assert.Equal((1L, "append", "f-1"), (head.Position, head.Record.Operation, head.Record.StreamId));
    }

    [Fact]
    public async Task A_full_queue_makes_callers_wait_instead_of_dropping_entries()
    {
        await using var log = new CountingLog { Failing = true };
        await using var audited = new LogStore(log).WithAudit(new AuditOptions { Mode = AuditMode.Full, Capacity = 2, MaxBatch = 1, FlushInterval = TimeSpan.Zero });
        var appends = Task.Run(
            async () =>
            {
                for (var i = 0; i < 6; i++)
                {
                    await audited.AppendAsync("q-" + i, ExpectedVersion.NoStream, [new EventData(Guid.NewGuid(), "t", "{}"u8.ToArray())], Ct);
                }
            },
            Ct);

        // With the log down, the writer holds one entry and the queue two: the fourth append's report waits.
        await Until(() => log.Attempts >= 2);
        Assert.False(appends.IsCompleted);
        log.Failing = false;
        await appends.WaitAsync(TimeSpan.FromMinutes(1), Ct);
        await audited.Interceptors.OfType<AuditInterceptor>().Single().FlushAsync(Ct);
        Assert.Equal(6, (await log.ReadAuditHeadAsync(Ct))!.Position);
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within a minute");
            await Task.Delay(10, Ct);
        }
    }

    /// <summary>The memory store's audit log, counting batch writes and failing them on demand (as a database that is down would).</summary>
    private sealed class CountingLog : IAuditLogStore, IAsyncDisposable
    {
        private readonly InMemoryEventStore _store = new();
        private volatile bool _failing;
        private int _writes;
        private int _attempts;

        public bool Failing
        {
            get => _failing;
            set => _failing = value;
        }

        public int Writes => Volatile.Read(ref _writes);

        public int Attempts => Volatile.Read(ref _attempts);

        public async ValueTask<long> AppendAuditAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _attempts);
            if (Failing)
            {
                throw new TimeoutException("audit storage down");
            }

            Interlocked.Increment(ref _writes);
            return await _store.AppendAuditAsync(records, cancellationToken);
        }

        public IAsyncEnumerable<AuditEntry> ReadAuditAsync(long fromPosition = 1, CancellationToken cancellationToken = default) => _store.ReadAuditAsync(fromPosition, cancellationToken);

        public ValueTask<AuditEntry?> ReadAuditHeadAsync(CancellationToken cancellationToken = default) => _store.ReadAuditHeadAsync(cancellationToken);

        public ValueTask DisposeAsync() => _store.DisposeAsync();
    }

    /// <summary>A memory store whose audit log is <paramref name="log"/>.</summary>
    private sealed class LogStore(IAuditLogStore log) : IEventStore
    {
        private readonly IEventStore _inner = new InMemoryEventStore();

        public EventStoreOptions Options => _inner.Options;

        public ValueTask<AppendResult> AppendAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
            => _inner.AppendAsync(streamId, expectedVersion, events, cancellationToken);

        public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long fromVersion = 1, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward, CancellationToken cancellationToken = default)
            => _inner.ReadStreamAsync(streamId, fromVersion, maxCount, direction, cancellationToken);

        public IAsyncEnumerable<RecordedEvent> ReadAllAsync(long fromPosition = 1, int maxCount = int.MaxValue, EventFilter? filter = null, CancellationToken cancellationToken = default)
            => _inner.ReadAllAsync(fromPosition, maxCount, filter, cancellationToken);

        public ValueTask<long?> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default) => _inner.GetStreamVersionAsync(streamId, cancellationToken);

        public ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) => _inner.GetHeadPositionAsync(cancellationToken);

        public TFeature? GetFeature<TFeature>()
            where TFeature : class
            => typeof(TFeature) == typeof(IAuditLogStore) ? (TFeature)log : _inner.GetFeature<TFeature>();

        public ValueTask DisposeAsync() => _inner.DisposeAsync();
    }
}
