using System.Collections.Concurrent;

namespace Eventuali.PostgreSql.Tests;

/// <summary>The global log never skips: a transaction that took a position but commits late holds readers back.</summary>
public sealed class GlobalLogOrderTests : IAsyncLifetime
{
    private readonly PostgreSqlStoreFixture _stores = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _stores.DisposeAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Tailing_reader_waits_for_a_held_transaction_and_skips_nothing(bool commitHeld)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await _stores.CreateStoreAsync(purpose: "held");
        var before = await store.AppendAsync("before", ExpectedVersion.NoStream, [TestEvents.Json("before")], ct);
        await TestEvents.WaitUntilReadableAsync(store, before.LastPosition);

        var seen = new List<RecordedEvent>();
        long last = 0;
        async Task<int> PollAsync()
        {
            var got = 0;
            await foreach (var e in store.ReadAllAsync(last + 1, cancellationToken: ct))
            {
                seen.Add(e);
                last = e.Position;
                got++;
            }

            return got;
        }

        Assert.Equal(1, await PollAsync());

        await using var raw = await PgTestServer.RawAsync();
        await using var held = await raw.OpenConnectionAsync(ct);
        await using var tx = await held.BeginTransactionAsync(ct);
        var heldId = Guid.NewGuid();
        var (status, heldPosition) = await TestEvents.AppendRawAsync(held, store.Schema, "held-stream", heldId);
        Assert.Equal(0, status);

        // The later writers are another node: the tailing reader's own store wrote none of them.
        await using var otherNode = await PostgreSqlEventStore.OpenStoreAsync(PgTestServer.WithSchema(await PgTestServer.UrlAsync(), store.Schema), EventStoreOptions.Default, ct);
        var later = new List<AppendResult>();
        for (var i = 0; i < 5; i++)
        {
            later.Add(await otherNode.AppendAsync($"later-{i}", ExpectedVersion.NoStream, [TestEvents.Json("later")], ct));
        }

        Assert.All(later, r => Assert.True(r.LastPosition > heldPosition));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(0, await PollAsync()); // the later events are committed, but not yet deliverable
        }

        Assert.True(await store.GetHeadPositionAsync(ct) < heldPosition);

        if (commitHeld)
        {
            await tx.CommitAsync(ct);
        }
        else
        {
            await tx.RollbackAsync(ct);
        }

        await TestEvents.WaitUntilReadableAsync(store, later[^1].LastPosition);
        await PollAsync();
        var expectedTypes = (commitHeld ? new[] { "before", "held" } : ["before"]).Concat(Enumerable.Repeat("later", 5));
        Assert.Equal(expectedTypes, seen.Select(e => e.EventType));
        Assert.Equal(seen.Count, seen.Select(e => e.EventId).Distinct().Count());
        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.First.Position < p.Second.Position));
        if (commitHeld)
        {
            Assert.Equal(heldId, seen[1].EventId);
            Assert.Equal(heldPosition, seen[1].Position);
        }

        Assert.Equal(0, await PollAsync());
        Assert.True(await store.GetHeadPositionAsync(ct) >= later[^1].LastPosition);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while ((current = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    [Fact]
    public async Task Many_writers_and_a_concurrent_reader_see_every_event_once_in_order()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var reading = await _stores.CreateStoreAsync(purpose: "many");
        var url = $"{PgTestServer.WithSchema(await PgTestServer.UrlAsync(), reading.Schema)}";
        const int Writers = 6, AppendsEach = 40;
        var written = new ConcurrentDictionary<Guid, bool>();
        long maxPosition = 0;
        var writerStores = new List<IEventStore>();
        for (var i = 0; i < 3; i++)
        {
            writerStores.Add(await PostgreSqlEventStore.OpenAsync(url, EventStoreOptions.Default, ct));
        }

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var store = writerStores[w % writerStores.Count];
            for (var i = 0; i < AppendsEach; i++)
            {
                var events = TestEvents.Many(1 + (i % 3));
                var r = await store.AppendAsync($"w{w}-s{i % 7}", ExpectedVersion.Any, events, ct);
                InterlockedMax(ref maxPosition, r.LastPosition);
                foreach (var e in events)
                {
                    written[e.EventId] = true;
                }
            }
        }, ct)).ToArray();

        var seen = new HashSet<Guid>();
        long last = 0;
        var done = Task.WhenAll(writers);
        while (true)
        {
            var finished = done.IsCompleted && await reading.GetHeadPositionAsync(ct) >= Interlocked.Read(ref maxPosition);
            await foreach (var e in reading.ReadAllAsync(last + 1, cancellationToken: ct))
            {
                Assert.True(e.Position > last, $"position {e.Position} after {last}");
                Assert.True(seen.Add(e.EventId), $"event {e.EventId} delivered twice");
                last = e.Position;
            }

            if (finished)
            {
                break;
            }

            await Task.Delay(5, ct);
        }

        await done;
        Assert.Equal(written.Count, seen.Count);
        Assert.True(written.Keys.All(seen.Contains));
        foreach (var s in writerStores)
        {
            await s.DisposeAsync();
        }
    }
}
