using System.Collections.Concurrent;
using Eventuali.Subscriptions;

namespace Eventuali.PostgreSql.Tests;

/// <summary>Live subscriptions on PostgreSQL: held transactions, the shared listener and its reconnection.</summary>
public sealed class SubscriptionLiveTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly PostgreSqlStoreFixture _stores = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _stores.DisposeAsync();

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(5, Ct);
        }
    }

    private static Task Consume(IEventStore store, ConcurrentQueue<RecordedEvent> into, CancellationToken ct)
        => Task.Run(async () =>
        {
            await foreach (var e in store.SubscribeToAllAsync(0, null, ct))
            {
                into.Enqueue(e);
            }
        }, ct);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_transaction_held_open_during_the_live_phase_is_delivered_in_order_exactly_once(bool commitHeld)
    {
        await using var store = await _stores.CreateStoreAsync(purpose: "subheld");
        await store.AppendAsync("before", ExpectedVersion.NoStream, [TestEvents.Json("before")], Ct);
        var delivered = new ConcurrentQueue<RecordedEvent>();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var consumer = Consume(store, delivered, cts.Token);
        await UntilAsync(() => delivered.Count == 1, "the first event was delivered");

        await using var raw = await PgTestServer.RawAsync();
        await using var held = await raw.OpenConnectionAsync(Ct);
        await using var tx = await held.BeginTransactionAsync(Ct);
        var heldId = Guid.NewGuid();
        var (status, heldPosition) = await TestEvents.AppendRawAsync(held, store.Schema, "held-stream", heldId);
        Assert.Equal(0, status);

        // Another node appends after the held transaction took its position; each append notifies the subscriber.
        await using var otherNode = await PostgreSqlEventStore.OpenStoreAsync(PgTestServer.WithSchema(await PgTestServer.UrlAsync(), store.Schema), EventStoreOptions.Default, Ct);
        var later = new List<AppendResult>();
        for (var i = 0; i < 5; i++)
        {
            later.Add(await otherNode.AppendAsync($"later-{i}", ExpectedVersion.NoStream, [TestEvents.Json("later")], Ct));
        }

        Assert.All(later, r => Assert.True(r.LastPosition > heldPosition));

        // Several notifications and poll rounds pass: nothing after the held position may be delivered yet.
        await Task.Delay(PostgreSqlEventStore.PollInterval * 4, Ct);
        Assert.Single(delivered);

        if (commitHeld)
        {
            await tx.CommitAsync(Ct); // the raw append does not notify: the poll fallback must find it
        }
        else
        {
            await tx.RollbackAsync(Ct);
        }

        var expected = commitHeld ? 7 : 6;
        await UntilAsync(() => delivered.Count >= expected, $"{expected} events were delivered");
        await Task.Delay(PostgreSqlEventStore.PollInterval * 2, Ct); // room for a duplicate to show up
        var seen = delivered.ToList();
        Assert.Equal((commitHeld ? new[] { "before", "held" } : ["before"]).Concat(Enumerable.Repeat("later", 5)), seen.Select(e => e.EventType));
        Assert.Equal(seen.Count, seen.Select(e => e.EventId).Distinct().Count());
        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.First.Position < p.Second.Position));
        if (commitHeld)
        {
            Assert.Equal((heldId, heldPosition!.Value), (seen[1].EventId, seen[1].Position));
        }

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consumer);
    }

    [Fact]
    public async Task Subscribers_share_one_listening_connection_which_reconnects_after_it_is_killed()
    {
        await using var store = await _stores.CreateStoreAsync(purpose: "sublisten");
        await store.AppendAsync("s", ExpectedVersion.NoStream, [TestEvents.Json("first")], Ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var queues = Enumerable.Range(0, 3).Select(_ => new ConcurrentQueue<RecordedEvent>()).ToArray();
        var consumers = queues.Select(q => Consume(store, q, cts.Token)).ToArray();
        await UntilAsync(() => queues.All(q => q.Count == 1) && store.ListenerConnects == 1, "three subscribers are live");

        await using var raw = await PgTestServer.RawAsync();
        async Task<long> ListenersAsync(string action)
        {
            await using var cmd = raw.CreateCommand($"SELECT {action} FROM pg_stat_activity WHERE query = $1 AND pid <> pg_backend_pid()");
            cmd.Parameters.AddWithValue($"LISTEN \"{store.NotificationChannel}\"");
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(Ct));
        }

        Assert.Equal(1, await ListenersAsync("count(*)"));
        Assert.Equal(1, await ListenersAsync("count(pg_terminate_backend(pid))"));

        await UntilAsync(() => store.ListenerConnects >= 2, "the listener reconnected");
        await store.AppendAsync("s", ExpectedVersion.Any, TestEvents.Many(3), Ct);
        await UntilAsync(() => queues.All(q => q.Count == 4), "every subscriber received the appends after the reconnection");
        Assert.All(queues, q => Assert.Equal(q.Count, q.Select(e => e.EventId).Distinct().Count()));
        Assert.Equal(1, await ListenersAsync("count(*)"));
        await cts.CancelAsync();
        foreach (var c in consumers)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => c);
        }
    }
}
