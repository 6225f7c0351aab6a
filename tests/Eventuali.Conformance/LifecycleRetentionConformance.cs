using Eventuali.Lifecycle;
using Microsoft.Extensions.Time.Testing;

namespace Eventuali.Conformance;

/// <summary>
/// Retention by max count and max age, per stream and per category prefix, applied only when asked; and deletes
/// racing appends end in a state every reader agrees on.
/// </summary>
public abstract class LifecycleRetentionConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    [Fact]
    public async Task Max_count_keeps_the_newest_events_of_one_stream()
    {
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Many(10));
        await store.AppendEventsAsync("s-2", ExpectedVersion.NoStream, TestData.Many(10));

        var result = await store.ApplyRetentionAsync(new RetentionPolicy { StreamId = "s-1", MaxCount = 3 }, Ct);
        Assert.Equal(new RetentionResult(1, 7), result);
        Assert.Equal(new long[] { 8L, 9, 10 }, (await store.ReadStreamListAsync("s-1")).Versions());
        Assert.Equal(10, (await store.ReadStreamListAsync("s-2")).Count);
        Assert.Equal(13, (await store.ReadAllListAsync()).Count);

        // Nothing more to remove; appends never apply retention by themselves.
        Assert.Equal(new RetentionResult(0, 0), await store.ApplyRetentionAsync(new RetentionPolicy { StreamId = "s-1", MaxCount = 3 }, Ct));
        await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(10), TestData.Many(2));
        Assert.Equal(new long[] { 8L, 9, 10, 11, 12 }, (await store.ReadStreamListAsync("s-1")).Versions());
    }

    [Fact]
    public async Task A_category_policy_covers_every_live_stream_with_the_prefix()
    {
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync("order-1", ExpectedVersion.NoStream, TestData.Many(5));
        await store.AppendEventsAsync("order-2", ExpectedVersion.NoStream, TestData.Many(2));
        await store.AppendEventsAsync("order-3", ExpectedVersion.NoStream, TestData.Many(6));
        await store.AppendEventsAsync("orders", ExpectedVersion.NoStream, TestData.Many(5));
        await store.AppendEventsAsync("user-1", ExpectedVersion.NoStream, TestData.Many(5));
        await store.Life().DeleteStreamAsync("order-3", DeleteMode.Soft, Ct);
        Assert.Equal(new[] { "order-1", "order-2" }, await store.ListAsync("order-"));

        var result = await store.ApplyRetentionAsync(new RetentionPolicy { StreamIdPrefix = "order-", MaxCount = 3 }, Ct);
        Assert.Equal(new RetentionResult(1, 2), result);
        Assert.Equal(new long[] { 3L, 4, 5 }, (await store.ReadStreamListAsync("order-1")).Versions());
        Assert.Equal(2, (await store.ReadStreamListAsync("order-2")).Count);
        Assert.Equal(5, (await store.ReadStreamListAsync("orders")).Count);
        Assert.Equal(5, (await store.ReadStreamListAsync("user-1")).Count);
        await store.Life().RestoreStreamAsync("order-3", Ct);
        Assert.Equal(6, (await store.ReadStreamListAsync("order-3")).Count);
    }

    [Fact]
    public async Task Max_age_removes_events_older_than_the_age_by_the_stores_clock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        await using var store = await NewStoreAsync(new EventStoreOptions { TimeProvider = clock });
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Many(3));
        clock.Advance(TimeSpan.FromHours(2));
        await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(3), TestData.Many(2));
        var policy = new RetentionPolicy { StreamIdPrefix = "s-", MaxAge = TimeSpan.FromHours(1) };

        Assert.Equal(new RetentionResult(1, 3), await store.ApplyRetentionAsync(policy, Ct));
        Assert.Equal(new long[] { 4L, 5 }, (await store.ReadStreamListAsync("s-1")).Versions());

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(new RetentionResult(0, 0), await store.ApplyRetentionAsync(policy, Ct));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(new RetentionResult(1, 2), await store.ApplyRetentionAsync(policy, Ct));
        Assert.Empty(await store.ReadStreamListAsync("s-1"));
        Assert.Equal(5, await store.GetStreamVersionAsync("s-1", Ct));
        Assert.Equal(6, (await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(5), TestData.Json())).StreamVersion);
    }

    [Fact]
    public async Task Count_and_age_together_keep_only_what_both_keep()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        await using var store = await NewStoreAsync(new EventStoreOptions { TimeProvider = clock });
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Many(2));
        clock.Advance(TimeSpan.FromDays(2));
        await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(2), TestData.Many(4));
        var result = await store.ApplyRetentionAsync(new RetentionPolicy { StreamId = "s-1", MaxCount = 5, MaxAge = TimeSpan.FromDays(1) }, Ct);
        Assert.Equal(new RetentionResult(1, 2), result);
        Assert.Equal(new long[] { 3L, 4, 5, 6 }, (await store.ReadStreamListAsync("s-1")).Versions());
    }

    [Fact]
    public async Task A_policy_must_say_what_it_covers_and_what_it_keeps()
    {
        await using var store = await NewStoreAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => store.ApplyRetentionAsync(new RetentionPolicy { MaxCount = 1 }, Ct).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => store.ApplyRetentionAsync(new RetentionPolicy { StreamId = "a", StreamIdPrefix = "a", MaxCount = 1 }, Ct).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => store.ApplyRetentionAsync(new RetentionPolicy { StreamId = "a" }, Ct).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => store.ApplyRetentionAsync(new RetentionPolicy { StreamId = "a", MaxCount = 0 }, Ct).AsTask());
    }

    [Theory]
    [InlineData(DeleteMode.Hard)]
    [InlineData(DeleteMode.Tombstone)]
    [InlineData(DeleteMode.Soft)]
    public async Task A_delete_racing_appends_ends_in_a_state_every_reader_agrees_on(DeleteMode mode)
    {
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Many(5));
        using var stop = new CancellationTokenSource();
        var attempts = 0;
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var refused = 0;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await store.AppendAsync("s-1", ExpectedVersion.Any, TestData.Many(2), Ct);
                }
                catch (StreamDeletedException)
                {
                    refused++;
                    await Task.Yield();
                }

                Interlocked.Increment(ref attempts);
            }

            return refused;
        })).ToArray();

        // Counted attempts, not elapsed time, decide when the delete comes and when the race ends: each writer has at
        // most one append in flight across the delete, so 8 more finished attempts include some begun after it.
        await UntilAttemptsAsync(8);
        Assert.True(await store.Life().DeleteStreamAsync("s-1", mode, Ct));
        await UntilAttemptsAsync(Volatile.Read(ref attempts) + 8);
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        var read = await store.ReadStreamListAsync("s-1");
        var version = await store.GetStreamVersionAsync("s-1", Ct);
        var inLog = await store.LogIdsOfAsync("s-1");
        if (mode == DeleteMode.Hard)
        {
            // Whatever landed after the delete starts again at 1, contiguous, and matches the log.
            Assert.Equal(Enumerable.Range(1, read.Count).Select(v => (long)v), read.Versions());
            Assert.Equal(read.Count == 0 ? null : read.Count, version);
            Assert.Equal(read.Select(e => e.EventId), inLog);
        }
        else
        {
            Assert.Empty(read);
            Assert.Null(version);
            Assert.Contains(await Task.WhenAll(writers), r => r > 0);
            var info = await store.Life().GetStreamInfoAsync("s-1", Ct);
            if (mode == DeleteMode.Tombstone)
            {
                Assert.Empty(inLog);
            }
            else
            {
                // Soft: nothing was lost; the restored stream holds every event the log has, contiguous.
                await store.Life().RestoreStreamAsync("s-1", Ct);
                var restored = await store.ReadStreamListAsync("s-1");
                Assert.Equal(restored.Select(e => e.EventId), inLog);
                Assert.Equal(Enumerable.Range(1, restored.Count).Select(v => (long)v), restored.Versions());
                Assert.Equal(info.Version, restored.Count);
            }
        }

        async Task UntilAttemptsAsync(int count)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (Volatile.Read(ref attempts) < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"the writers made {Volatile.Read(ref attempts)} of {count} appends within 60 s");
                Assert.DoesNotContain(writers, w => w.IsFaulted);
                await Task.Delay(1, Ct);
            }
        }
    }
}
