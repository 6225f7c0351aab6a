using System.Collections.Concurrent;
using System.Diagnostics;

namespace Eventuali.Conformance;

/// <summary>Racing writers: optimistic concurrency loses nothing and a tailing reader of the log skips nothing.</summary>
public abstract class ConcurrencyConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Racing_writers_on_one_stream_each_win_every_version_exactly_once()
    {
        const int Writers = 16;
        const int WinsEach = 20;
        await using var store = await NewStoreAsync();
        var won = new ConcurrentBag<(int Writer, Guid EventId, long Version)>();
        var conflicts = 0;
        using var start = new SemaphoreSlim(0);

        var tasks = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            await start.WaitAsync(Ct);
            var clock = Stopwatch.StartNew();
            for (var wins = 0; wins < WinsEach;)
            {
                Assert.True(clock.Elapsed < Deadline, $"writer {w} won only {wins} appends in {Deadline}");
                var version = await store.GetStreamVersionAsync("race", Ct) ?? 0;
                var e = TestData.Json("raced", $$"""{"writer":{{w}},"win":{{wins}}}""");

                // Let other writers run between reading the version and appending, so stale expectations really occur.
                await Task.Yield();
                try
                {
                    var r = await store.AppendEventsAsync("race", ExpectedVersion.Exact(version), e);
                    Assert.Equal(version + 1, r.StreamVersion);
                    won.Add((w, e.EventId, r.StreamVersion));
                    wins++;
                }
                catch (ConcurrencyException ex)
                {
                    Assert.Equal("race", ex.StreamId);
                    Assert.NotEqual(version, ex.ActualVersion ?? 0);
                    Interlocked.Increment(ref conflicts);
                }
            }
        }, Ct)).ToArray();
        start.Release(Writers);
        await Task.WhenAll(tasks);

        var read = await store.ReadStreamListAsync("race");
        Assert.Equal(Writers * WinsEach, read.Count);
        Assert.Equal(Enumerable.Range(1, Writers * WinsEach).Select(i => (long)i), read.Select(e => e.StreamVersion));
        Assert.Equal(won.Select(x => x.Version).Order(), read.Select(e => e.StreamVersion));
        var byId = read.ToDictionary(e => e.EventId, e => e.StreamVersion);
        Assert.All(won, x => Assert.Equal(x.Version, byId[x.EventId]));
        Assert.All(Enumerable.Range(0, Writers), w => Assert.Equal(WinsEach, won.Count(x => x.Writer == w)));
        TestData.AssertStrictlyIncreasing(read);
        TestContext.Current.SendDiagnosticMessage($"{Fixture.BackendName}: {conflicts} conflicts refused while racing");
    }

    [Fact]
    public async Task Racing_NoStream_creates_a_stream_once()
    {
        const int Writers = 12;
        await using var store = await NewStoreAsync();
        using var start = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            await start.WaitAsync(Ct);
            try
            {
                await store.AppendEventsAsync("once", ExpectedVersion.NoStream, TestData.Many(2));
                return true;
            }
            catch (ConcurrencyException ex)
            {
                Assert.Equal(2, ex.ActualVersion);
                return false;
            }
        }, Ct)).ToArray();
        start.Release(Writers);
        var results = await Task.WhenAll(tasks);
        Assert.Single(results, won => won);
        Assert.Equal(2, (await store.ReadStreamListAsync("once")).Count);
        Assert.Equal(2, (await store.ReadAllListAsync()).Count);
    }

    [Fact]
    public async Task Racing_retries_of_one_append_write_it_once()
    {
        const int Writers = 12;
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Json());
        var batch = TestData.Many(3);
        using var start = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            await start.WaitAsync(Ct);
            return await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(1), batch);
        }, Ct)).ToArray();
        start.Release(Writers);
        var results = await Task.WhenAll(tasks);
        Assert.Single(results.Distinct());
        Assert.Equal(4, results[0].StreamVersion);
        var read = await store.ReadStreamListAsync("s-1");
        Assert.Equal(4, read.Count);
        Assert.Equal(read[^1].Position, results[0].LastPosition);
    }

    [Fact]
    public async Task Tailing_reader_sees_every_event_of_concurrent_writers_exactly_once_in_position_order()
    {
        const int Writers = 8;
        const int StreamsEach = 4;
        const int AppendsEach = 30;
        await using var store = await NewStoreAsync(new EventStoreOptions { ReadPageSize = 16 });
        var written = new ConcurrentDictionary<Guid, string>();
        var expectedCount = 0;
        for (var w = 0; w < Writers; w++)
        {
            for (var a = 0; a < AppendsEach; a++)
            {
                expectedCount += 1 + (a % 3);
            }
        }

        using var start = new SemaphoreSlim(0);
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            await start.WaitAsync(Ct);
            var versions = new long[StreamsEach];
            for (var a = 0; a < AppendsEach; a++)
            {
                var s = a % StreamsEach;
                var streamId = $"w{w}-s{s}";
                var events = TestData.Many(1 + (a % 3), "tailed");
                var r = await store.AppendEventsAsync(streamId, ExpectedVersion.Exact(versions[s]), events);
                versions[s] = r.StreamVersion;
                foreach (var e in events)
                {
                    Assert.True(written.TryAdd(e.EventId, streamId));
                }
            }
        }, Ct)).ToArray();

        var reader = Task.Run(async () =>
        {
            var seen = new List<RecordedEvent>();
            var seenIds = new HashSet<Guid>();
            var next = 1L;
            var clock = Stopwatch.StartNew();
            await start.WaitAsync(Ct);
            while (seen.Count < expectedCount)
            {
                Assert.True(clock.Elapsed < Deadline, $"tailing reader saw {seen.Count} of {expectedCount} events in {Deadline}");
                var got = 0;
                await foreach (var e in store.ReadAllAsync(next, 50, cancellationToken: Ct))
                {
                    Assert.True(e.Position >= next, $"position {e.Position} returned below the requested {next}");
                    Assert.True(seenIds.Add(e.EventId), $"event {e.EventId} at position {e.Position} seen twice");
                    seen.Add(e);
                    next = e.Position + 1;
                    got++;
                }

                if (got == 0)
                {
                    await Task.Delay(1, Ct);
                }
            }

            return seen;
        }, Ct);

        start.Release(Writers + 1);
        await Task.WhenAll(writers);
        var tail = await reader;

        Assert.Equal(expectedCount, written.Count);
        Assert.Equal(expectedCount, tail.Count);
        TestData.AssertStrictlyIncreasing(tail);
        Assert.All(tail, e => Assert.Equal(written[e.EventId], e.StreamId));
        Assert.Empty(await store.ReadAllListAsync(tail[^1].Position + 1));
        Assert.Equal(tail[^1].Position, await store.GetHeadPositionAsync(Ct));
        var all = await store.ReadAllListAsync();
        Assert.Equal(tail.Select(e => (e.EventId, e.Position)), all.Select(e => (e.EventId, e.Position)));

        // Each stream's versions are contiguous and in log order.
        foreach (var group in all.GroupBy(e => e.StreamId))
        {
            Assert.Equal(Enumerable.Range(1, group.Count()).Select(i => (long)i), group.Select(e => e.StreamVersion));
        }
    }
}
