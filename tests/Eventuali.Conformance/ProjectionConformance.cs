using Eventuali.Projections;
using static Eventuali.Conformance.ProjectionTestData;

namespace Eventuali.Conformance;

/// <summary>The async projection daemon on a backend: live run, stop and restart, rebuild, status.</summary>
public abstract class ProjectionConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    [Fact]
    public async Task Daemon_builds_the_read_model_and_reports_status()
    {
        await using var store = await NewStoreAsync();
        await FillAsync(store, streams: 3, perStream: 10);
        await store.AppendEventsAsync("other-1", ExpectedVersion.Any, TestData.Json("unrelated"));
        var projection = new CountingProjection();
        await using var daemon = new ProjectionDaemon(store, [projection], FastOptions());
        await daemon.StartAsync(Ct);
        var status = await CatchUpAsync(daemon);

        var model = await ReadModelAsync(store, "accounts");
        Assert.Equal(3, model.Count);
        Assert.All(model.Values, v => Assert.Equal((10, 55), v));
        Assert.Equal(await store.GetHeadPositionAsync(Ct), status.Position);
        Assert.Equal(0, status.Lag);
        Assert.Equal(ProjectionState.Running, status.State);
        Assert.Equal("node-a", status.Owner);
        Assert.Equal(0, status.DeadLetters);
        Assert.Equal("""{"count":10,"total":55}""".Replace(" ", "", StringComparison.Ordinal), (await store.GetProjectionStore().GetProjectionDocumentAsync("accounts", "acct-0", Ct))!.Replace(" ", "", StringComparison.Ordinal));

        // Live: new events reach the read model while the daemon runs.
        await store.AppendEventsAsync("acct-0", ExpectedVersion.Any, Deposit(100));
        await store.AppendEventsAsync("acct-1", ExpectedVersion.Any, TestData.Json("closed"));
        await CatchUpAsync(daemon);
        model = await ReadModelAsync(store, "accounts");
        Assert.Equal((11, 155), model["acct-0"]);
        Assert.False(model.ContainsKey("acct-1"));
        Assert.Equal(31, projection.SideEffects.Count);

        await daemon.StopAsync(Ct);
        var stopped = await store.GetProjectionStatusAsync("accounts", Ct);
        Assert.Equal(ProjectionState.Stopped, stopped!.State);
        Assert.Null(stopped.Owner);
    }

    [Fact]
    public async Task Stopped_midway_and_restarted_the_read_model_has_every_event_exactly_once()
    {
        await using var store = await NewStoreAsync();
        await FillAsync(store, streams: 4, perStream: 60);
        var first = new CountingProjection { HoldAfter = 100 };
        var daemon = new ProjectionDaemon(store, [first], FastOptions(batchSize: 7));
        await daemon.StartAsync(Ct);
        var head = await store.GetHeadPositionAsync(Ct);
        await first.Holding.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        // Stopped in the middle of a batch: that batch rolls back whole.
        await daemon.StopAsync(Ct);
        var midway = await store.GetProjectionStatusAsync("accounts", Ct);
        Assert.True(midway!.Position < head, $"the daemon was meant to stop midway; it reached {midway.Position} of {head}");
        Assert.Equal(98, (await ReadModelAsync(store, "accounts")).Values.Sum(v => v.Count));

        await FillAsync(store, streams: 4, perStream: 5);
        var second = new CountingProjection();
        await using var again = new ProjectionDaemon(store, [second], FastOptions(node: "node-b", batchSize: 7));
        await again.StartAsync(Ct);
        await CatchUpAsync(again);

        var model = await ReadModelAsync(store, "accounts");
        Assert.Equal(4, model.Count);
        Assert.All(model.Values, v => Assert.Equal((65, (60 * 61 / 2) + 15), v));

        // Side effects are outside the transaction: none lost; repeated only for the batch that was rolled back.
        var effects = first.SideEffects.Concat(second.SideEffects).ToList();
        Assert.Equal(4 * 65, effects.Distinct().Count());
        Assert.InRange(effects.Count, 4 * 65, (4 * 65) + 7);
    }

    [Fact]
    public async Task Rebuild_from_zero_ends_in_the_same_read_model_and_skips_side_effects()
    {
        await using var store = await NewStoreAsync();
        await FillAsync(store, streams: 5, perStream: 20);
        var projection = new CountingProjection();
        await using var daemon = new ProjectionDaemon(store, [projection], FastOptions(batchSize: 13));
        await daemon.StartAsync(Ct);
        await CatchUpAsync(daemon);
        var live = await ReadModelAsync(store, "accounts");
        Assert.Equal(100, projection.SideEffects.Count);

        await daemon.RebuildAsync("accounts", 0, Ct);
        var rebuilt = await CatchUpAsync(daemon);
        Assert.Equal(ProjectionState.Running, rebuilt.State);
        Assert.Equal(live, await ReadModelAsync(store, "accounts"));
        Assert.Equal(100, projection.SideEffects.Count);
        Assert.True(projection.Attempts >= 200, $"the rebuild should have applied every event again; {projection.Attempts} applications");

        // After the rebuild, new events are live again: their side effects happen.
        await store.AppendEventsAsync("acct-0", ExpectedVersion.Any, Deposit(1));
        await CatchUpAsync(daemon);
        Assert.Equal(101, projection.SideEffects.Count);
    }

    [Fact]
    public async Task A_rebuild_request_is_recorded_and_honoured_by_the_running_daemon()
    {
        await using var store = await NewStoreAsync();
        Assert.False(await store.GetProjectionStore().RequestProjectionRebuildAsync("never-ran", 0, Ct));
        await FillAsync(store, streams: 2, perStream: 5);
        var projection = new CountingProjection();
        await using var daemon = new ProjectionDaemon(store, [projection], FastOptions());
        await daemon.StartAsync(Ct);
        await CatchUpAsync(daemon);
        await daemon.StopAsync(Ct);

        // Recorded while no daemon runs: visible in the status, and nothing applied yet.
        Assert.True(await store.GetProjectionStore().RequestProjectionRebuildAsync("accounts", 0, Ct));
        var requested = await store.GetProjectionStatusAsync("accounts", Ct);
        Assert.Equal(ProjectionState.Rebuilding, requested!.State);
        Assert.Equal(0, requested.RebuildRequestedFrom);
        Assert.Equal(2, (await ReadModelAsync(store, "accounts")).Count);

        await using var next = new ProjectionDaemon(store, [new CountingProjection()], FastOptions(node: "node-b"));
        await next.StartAsync(Ct);
        var done = await CatchUpAsync(next);
        Assert.Null(done.RebuildRequestedFrom);
        Assert.All((await ReadModelAsync(store, "accounts")).Values, v => Assert.Equal((5, 15), v));
    }

    [Fact]
    public async Task A_lease_is_held_by_one_runner_at_a_time_and_an_uncommitted_transaction_changes_nothing()
    {
        await using var store = await NewStoreAsync();
        var projections = store.GetProjectionStore();
        var lease = await projections.TryAcquireProjectionAsync("solo", "a", Ct);
        Assert.NotNull(lease);
        Assert.Null(await projections.TryAcquireProjectionAsync("solo", "b", Ct));
        var other = await projections.TryAcquireProjectionAsync("other", "b", Ct);
        Assert.NotNull(other);
        await other.DisposeAsync();

        await using (var tx = await lease.BeginAsync(Ct))
        {
            await tx.Documents.PutAsync("k", """{"a":1}""", Ct);
            Assert.NotNull(await tx.Documents.GetAsync("k", Ct));
            await tx.SaveProgressAsync(new ProjectionProgress(42, ProjectionState.Running, null, null), Ct);
        }

        Assert.Null(await projections.GetProjectionDocumentAsync("solo", "k", Ct));
        Assert.Equal(0, (await lease.LoadAsync(Ct)).Position);
        await using (var tx = await lease.BeginAsync(Ct))
        {
            await Assert.ThrowsAsync<ArgumentException>(async () => await tx.Documents.PutAsync("k", "{not json", Ct));
        }

        await lease.DisposeAsync();
        var again = await projections.TryAcquireProjectionAsync("solo", "b", Ct);
        Assert.NotNull(again);
        Assert.Equal("b", (await again.LoadAsync(Ct)).Owner);
        await again.DisposeAsync();
        await Assert.ThrowsAsync<ArgumentException>(async () => await projections.TryAcquireProjectionAsync("bad name!", "a", Ct));
    }

    [Fact]
    public async Task Two_daemons_on_one_store_run_a_projection_on_one_node_and_the_other_takes_over()
    {
        await using var store = await NewStoreAsync();
        await FillAsync(store, streams: 2, perStream: 10);
        await using var a = new ProjectionDaemon(store, [new CountingProjection()], FastOptions(node: "node-a"));
        await using var b = new ProjectionDaemon(store, [new CountingProjection()], FastOptions(node: "node-b"));
        await a.StartAsync(Ct);
        await CatchUpAsync(a);
        await b.StartAsync(Ct);
        await Task.Delay(300, Ct);
        Assert.True(a.IsLeader("accounts"));
        Assert.False(b.IsLeader("accounts"));

        await a.StopAsync(Ct);
        await store.AppendEventsAsync("acct-0", ExpectedVersion.Any, Deposit(11));
        var status = await CatchUpAsync(b);
        Assert.Equal("node-b", status.Owner);
        Assert.Equal((11, 66), (await ReadModelAsync(store, "accounts"))["acct-0"]);
    }
}
