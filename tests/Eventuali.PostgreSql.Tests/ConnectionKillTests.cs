using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Eventuali.Projections;
using Eventuali.Sagas;
using Eventuali.Subscriptions;
using Eventuali.Typed;

namespace Eventuali.PostgreSql.Tests;

[EventType("kill-test.placed")]
internal sealed record KillPlaced(string Id);

[EventType("kill-test.acked")]
internal sealed record KillAcked(string Id);

internal sealed class KillSagaState
{
    public int Seen { get; set; }
}

/// <summary>
/// The server stays up while the store's connections are killed (pg_terminate_backend) again and again under
/// load: live subscriptions, the projection daemon and the saga runner ride it out, each delivering every event
/// exactly once and in order; a permanent store error still stops a subscription, naming the attempts.
/// </summary>
public sealed class ConnectionKillTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private const int Writers = 8;
    private const int Kills = 5;
    private readonly PostgreSqlStoreFixture _schemas = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _schemas.DisposeAsync();

    [Fact]
    public async Task Subscriptions_the_daemon_and_the_saga_runner_deliver_everything_exactly_once_while_connections_are_killed()
    {
        var app = "kill_" + Guid.NewGuid().ToString("N")[..12];
        var url = await _schemas.OpenUrlAsync("kill") + "&application_name=" + app;
        var options = new EventStoreOptions { Types = new EventTypeRegistry().Register<KillPlaced>().Register<KillAcked>() };
        await using var store = await PostgreSqlEventStore.OpenStoreAsync(url, options, Ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        // 1. A handler subscription.
        var handled = new ConcurrentQueue<long>();
        var subscription = store.StartSubscription(new SubscriptionOptions { Name = "kill-sub", CheckpointEvery = 50 }, (e, _) =>
        {
            handled.Enqueue(e.Position);
            return ValueTask.CompletedTask;
        }, stop.Token);

        // 2. The async stream on the writers' store object.
        var streamed = new ConcurrentQueue<long>();
        var streaming = Task.Run(async () =>
        {
            await foreach (var e in store.SubscribeToAllAsync(0, null, stop.Token))
            {
                streamed.Enqueue(e.Position);
            }
        }, stop.Token);

        // 3. The projection daemon: counts placed events and records any that arrive out of order.
        var daemon = new ProjectionDaemon(store, [new OrderCheckingProjection()], new ProjectionDaemonOptions
        {
            NodeId = "kill-node", BatchSize = 100, PollInterval = TimeSpan.FromMilliseconds(20), LeaseRetryInterval = TimeSpan.FromMilliseconds(100),
        });
        await daemon.StartAsync(Ct);

        // 4. The saga runner: each placed event appends one ack to its own stream.
        var saga = new SagaDefinition<KillSagaState>("kill-acks")
            .StartedBy<KillPlaced>(e => e.Id, (ctx, e) =>
            {
                ctx.State.Seen++;
                ctx.Append("ack-" + e.Id, ExpectedVersion.NoStream, new KillAcked(e.Id));
                ctx.Complete();
            });
        using var runner = new SagaRunner<KillSagaState>(store, saga);
        var running = Task.Run(() => runner.RunAsync(stop.Token), stop.Token);

        // Writers append until the kills are over; an append cut off is retried with the same event id (idempotent).
        var killing = new CancellationTokenSource();
        var placed = new ConcurrentBag<string>();
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !killing.IsCancellationRequested; i++)
            {
                var id = $"w{w}-{i}";
                var data = options.Types.ToEventData(new KillPlaced(id));
                await AppendUntilStoredAsync(store, "placed-" + id, data);
                placed.Add(id);
            }
        }, Ct)).ToArray();

        await using var raw = await PgTestServer.RawAsync();
        var killed = 0L;
        await UntilAsync(() => placed.Count >= 50, "the writers are under way");
        for (var k = 0; k < Kills; k++)
        {
            await using var cmd = raw.CreateCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()");
            cmd.Parameters.AddWithValue(app);
            killed += Convert.ToInt64(await cmd.ExecuteScalarAsync(Ct));

            // Let work resume between kills: wait for progress, not for a fixed time.
            var before = placed.Count;
            await UntilAsync(() => placed.Count >= before + 100, $"the writers progressed after kill {k + 1}");
        }

        await killing.CancelAsync();
        await Task.WhenAll(writers);
        Assert.True(killed >= Kills, $"only {killed} backends were terminated");

        // Every placed event acknowledged once by the saga; then the log is final.
        await UntilAsync(async () => running.IsCompleted || await CountAcksAsync(store) >= placed.Count, "the saga acknowledged every placed event");
        Assert.False(running.IsCompleted, $"the saga runner stopped: {running.Exception?.GetBaseException().Message}");
        var log = new List<RecordedEvent>();
        await foreach (var e in store.ReadAllAsync(1, int.MaxValue, null, Ct))
        {
            log.Add(e);
        }

        var positions = log.Select(e => e.Position).ToList();
        Assert.Equal(placed.Count * 2, log.Count);
        Assert.Equal(log.Count, log.Select(e => e.EventId).Distinct().Count());
        Assert.All(log.Where(e => e.StreamId.StartsWith("ack-", StringComparison.Ordinal)), e => Assert.Equal(1, e.StreamVersion));

        await UntilAsync(() => subscription.Completion.IsCompleted || handled.Count >= positions.Count, "the handler subscription delivered everything");
        Assert.False(subscription.Completion.IsCompleted, $"the handler subscription stopped: {subscription.Status.Error?.Message}");
        Assert.Equal(positions, handled.ToList());

        await UntilAsync(() => streaming.IsCompleted || streamed.Count >= positions.Count, "the async subscription delivered everything");
        Assert.False(streaming.IsCompleted, $"the async subscription ended: {streaming.Exception?.GetBaseException().Message}");
        Assert.Equal(positions, streamed.ToList());

        var status = await daemon.WaitForCatchUpAsync("kill-order", Ct).WaitAsync(Patience, Ct);
        Assert.Equal(ProjectionState.Running, status.State);
        var docs = await DocumentsAsync(store);
        Assert.Equal(placed.Count, docs.GetValueOrDefault("count"));
        Assert.Equal(log.Where(e => e.EventType == "kill-test.placed").Max(e => e.Position), docs["last"]);
        Assert.False(docs.ContainsKey("disorder"), "the projection saw an event out of order or twice");

        await stop.CancelAsync();
        await subscription.StopAsync();
        Assert.Null(subscription.Status.Error);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => streaming);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        await daemon.StopAsync(Ct);
        await daemon.DisposeAsync();
    }

    [Fact]
    public async Task A_permanent_store_error_faults_the_subscription_and_names_the_attempts()
    {
        var url = await _schemas.OpenUrlAsync("killperm");
        await using var store = await PostgreSqlEventStore.OpenStoreAsync(url, EventStoreOptions.Default, Ct);
        await store.AppendAsync("s", ExpectedVersion.NoStream, TestEvents.Many(3), Ct);
        var seen = 0;
        await using var subscription = store.StartSubscription(new SubscriptionOptions { Name = "perm" }, (_, _) =>
        {
            Interlocked.Increment(ref seen);
            return ValueTask.CompletedTask;
        }, Ct);
        await UntilAsync(() => Volatile.Read(ref seen) == 3 && subscription.Status.IsLive, "the subscription is live");

        // The store's tables vanish: every read fails the same way, which no retry can mend.
        await PgTestServer.DropSchemaAsync(store.Schema);
        var error = await Assert.ThrowsAsync<SubscriptionFailedException>(() => subscription.Completion.WaitAsync(Patience, Ct));
        var retry = Assert.IsType<StoreRetryException>(error.InnerException);
        Assert.False(retry.BudgetUsedUp);
        Assert.Equal(1, retry.Attempts);
        Assert.Contains("1 attempt", error.Message, StringComparison.Ordinal);
        Assert.Equal(SubscriptionState.Faulted, subscription.Status.State);
    }

    [Fact]
    public async Task A_killed_listener_falls_back_to_polling_and_reconnects()
    {
        var app = "listen_" + Guid.NewGuid().ToString("N")[..12];
        var url = await _schemas.OpenUrlAsync("killlisten") + "&application_name=" + app;
        await using var store = await PostgreSqlEventStore.OpenStoreAsync(url, EventStoreOptions.Default, Ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var got = new ConcurrentQueue<RecordedEvent>();
        var consuming = Task.Run(async () =>
        {
            await foreach (var e in store.SubscribeToAllAsync(0, null, stop.Token))
            {
                got.Enqueue(e);
            }
        }, stop.Token);
        await UntilAsync(() => store.ListenerStatus.IsListening, "the listener is up");
        Assert.Equal(0, store.ListenerStatus.Losses);

        await using var raw = await PgTestServer.RawAsync();
        await using (var kill = raw.CreateCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN %'"))
        {
            kill.Parameters.AddWithValue(app);
            Assert.Equal(1L, Convert.ToInt64(await kill.ExecuteScalarAsync(Ct)));
        }

        // The append right after the kill is delivered whether or not the listener is back yet (polling covers the gap).
        await store.AppendAsync("after-kill", ExpectedVersion.NoStream, [TestEvents.Json()], Ct);
        await UntilAsync(() => got.Count == 1, "the event appended after the kill was delivered");
        await UntilAsync(() => store.ListenerStatus is { IsListening: true, Connects: >= 2 }, "the listener reconnected");
        var status = store.ListenerStatus;
        Assert.Equal(1, status.Losses);
        Assert.NotNull(status.LastError);
        Assert.Null(status.LostSince);

        await store.AppendAsync("after-reconnect", ExpectedVersion.NoStream, [TestEvents.Json()], Ct);
        await UntilAsync(() => got.Count == 2, "the event appended after the reconnection was delivered");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consuming);
    }

    private static async Task AppendUntilStoredAsync(PostgreSqlEventStore store, string streamId, EventData data)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                await store.AppendAsync(streamId, ExpectedVersion.Any, [data], Ct);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10, Ct); // a killed connection: the retry carries the same event id
            }
        }
    }

    private static async Task<int> CountAcksAsync(PostgreSqlEventStore store)
    {
        var n = 0;
        await foreach (var e in store.ReadAllAsync(1, int.MaxValue, new EventFilter { EventTypes = ["kill-test.acked"] }, Ct))
        {
            n++;
        }

        return n;
    }

    private static async Task<Dictionary<string, long>> DocumentsAsync(PostgreSqlEventStore store)
    {
        var docs = new Dictionary<string, long>();
        await foreach (var d in store.GetProjectionStore().ReadProjectionDocumentsAsync("kill-order", Ct))
        {
            docs[d.Key] = JsonNode.Parse(d.Json)!["n"]!.GetValue<long>();
        }

        return docs;
    }

    private static Task UntilAsync(Func<bool> condition, string what) => UntilAsync(() => Task.FromResult(condition()), what);

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(20, Ct);
        }
    }

    /// <summary>Counts placed events; an event at or before the last one applied (a repeat, or out of order) is recorded.</summary>
    private sealed class OrderCheckingProjection : Projection
    {
        public OrderCheckingProjection()
            : base("kill-order")
        {
            On("kill-test.placed", async (e, ctx, ct) =>
            {
                var last = await ctx.Documents.GetAsync("last", ct) is { } json ? JsonNode.Parse(json)!["n"]!.GetValue<long>() : 0;
                if (e.Position <= last)
                {
                    await BumpAsync(ctx, "disorder", ct);
                }

                await ctx.Documents.PutAsync("last", $$"""{"n":{{e.Position}}}""", ct);
                await BumpAsync(ctx, "count", ct);
            });
        }

        private static async ValueTask BumpAsync(ProjectionContext ctx, string key, CancellationToken ct)
        {
            var n = await ctx.Documents.GetAsync(key, ct) is { } json ? JsonNode.Parse(json)!["n"]!.GetValue<int>() : 0;
            await ctx.Documents.PutAsync(key, $$"""{"n":{{n + 1}}}""", ct);
        }
    }
}
