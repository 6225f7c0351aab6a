using Eventuali.Projections;
using static Eventuali.Conformance.ProjectionTestData;

namespace Eventuali.Conformance;

/// <summary>
/// Operator requests on a projection: a replay from past the head is refused, a rebuild never duplicates dead letters,
/// dead letters can be retried and deleted, and a daemon stopped mid-rebuild leaves the projection stopped.
/// </summary>
public abstract class ProjectionOperatorConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    private static readonly ProjectionFailurePolicy QuickPark = new() { MaxAttempts = 2, InitialBackoff = TimeSpan.FromMilliseconds(2) };

    private static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                Assert.Fail($"Timed out waiting for {what}; last seen: {value}");
            }
        }
    }

    private static Task<IReadOnlyList<DeadLetter>> LettersAsync(IEventStore store) => store.GetProjectionStore().ReadDeadLettersAsync("accounts", Ct).AsTask();

    [Fact]
    public async Task A_replay_from_past_the_head_is_refused_and_a_position_above_the_head_never_shows_caught_up()
    {
        await using var store = await NewStoreAsync();
        await FillAsync(store, streams: 2, perStream: 5);
        await using var daemon = new ProjectionDaemon(store, [new CountingProjection()], FastOptions());
        await daemon.StartAsync(Ct);
        var before = await CatchUpAsync(daemon);
        var head = await store.GetHeadPositionAsync(Ct);

        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await daemon.RebuildAsync("accounts", head + 990, Ct));
        Assert.Contains($"position {head + 990}", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"head of the log is at {head}", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.GetProjectionStore().RequestProjectionRebuildAsync("accounts", head + 1, Ct));
        var after = (await store.GetProjectionStatusAsync("accounts", Ct))!;
        Assert.Equal((before.Position, ProjectionState.Running, (long?)null), (after.Position, after.State, after.RebuildRequestedFrom));

        // From the head itself is a valid (empty) replay; later appends are projected.
        await daemon.RebuildAsync("accounts", head, Ct);
        await CatchUpAsync(daemon);
        await FillAsync(store, streams: 2, perStream: 1);
        await CatchUpAsync(daemon);
        Assert.Equal((6, 16), (await ReadModelAsync(store, "accounts"))["acct-1"]);

        // A stored position above the head (from before this check) is not caught up and has a lag.
        var ahead = ProjectionStatus.From(new ProjectionRow("p", 1000, ProjectionState.Running, null, "n", null, null, 0, 0, DateTimeOffset.UnixEpoch), 100);
        Assert.Equal((900L, false, true), (ahead.Lag, ahead.IsCaughtUp, ahead.IsAheadOfHead));
    }

    [Fact]
    public async Task Rebuilds_replace_the_dead_letters_they_replay_instead_of_adding_copies()
    {
        await using var store = await NewStoreAsync();
        await FillAsync(store, streams: 2, perStream: 3);
        var poison = await store.AppendEventsAsync("acct-0", ExpectedVersion.Any, Deposit(1000, poison: true));
        await FillAsync(store, streams: 2, perStream: 1);
        await using var daemon = new ProjectionDaemon(store, [new CountingProjection(policy: QuickPark)], FastOptions());
        await daemon.StartAsync(Ct);
        Assert.Equal(1, (await CatchUpAsync(daemon)).DeadLetters);
        var first = Assert.Single(await LettersAsync(store));

        for (var i = 0; i < 2; i++)
        {
            await daemon.RebuildAsync("accounts", 0, Ct);
            Assert.Equal(1, (await CatchUpAsync(daemon)).DeadLetters);
        }

        var again = Assert.Single(await LettersAsync(store));
        Assert.Equal((poison.LastPosition, 2), (again.Position, again.Attempts));
        Assert.True(again.Id > 0 && first.Id > 0);

        // A replay from after the poison event leaves its dead letter alone (and applies the last deposit again).
        await daemon.RebuildAsync("accounts", poison.LastPosition, Ct);
        Assert.Equal(1, (await CatchUpAsync(daemon)).DeadLetters);
        Assert.Equal((5, 8), (await ReadModelAsync(store, "accounts"))["acct-0"]);
    }

    [Fact]
    public async Task A_retried_dead_letter_stays_with_the_new_error_until_the_handler_succeeds()
    {
        await using var store = await NewStoreAsync();
        await FillAsync(store, streams: 1, perStream: 2);
        var poison = await store.AppendEventsAsync("acct-0", ExpectedVersion.Any, Deposit(1000, poison: true));
        var projection = new CountingProjection(policy: QuickPark);
        await using var daemon = new ProjectionDaemon(store, [projection], FastOptions());
        await daemon.StartAsync(Ct);
        await CatchUpAsync(daemon);
        var parked = Assert.Single(await LettersAsync(store));
        var projections = store.GetProjectionStore();

        // Still failing: kept, one more attempt, retry request cleared.
        Assert.Equal(1, await projections.RequestDeadLetterRetryAsync("accounts", parked.Id, Ct));
        var failed = await UntilAsync(() => LettersAsync(store), l => l.Count == 1 && l[0].Attempts == parked.Attempts + 1, "the failed retry");
        Assert.Equal((parked.Id, false), (failed[0].Id, failed[0].RetryRequested));
        Assert.Contains("poison event", failed[0].Error, StringComparison.Ordinal);

        // Fixed: the retry applies it and removes the dead letter.
        projection.AcceptPoison = true;
        Assert.Equal(1, await projections.RequestDeadLetterRetryAsync("accounts", cancellationToken: Ct));
        await UntilAsync(() => LettersAsync(store), l => l.Count == 0, "the successful retry");
        Assert.Equal((3, 1003), (await ReadModelAsync(store, "accounts"))["acct-0"]);
        Assert.Contains(poison.LastPosition, projection.SideEffects);
        Assert.Equal(0, await projections.RequestDeadLetterRetryAsync("accounts", parked.Id, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await projections.RequestDeadLetterRetryAsync("accounts", 0, Ct));
    }

    [Fact]
    public async Task Dead_letters_are_deleted_one_by_id_or_all()
    {
        await using var store = await NewStoreAsync();
        for (var i = 0; i < 3; i++)
        {
            await store.AppendEventsAsync("acct-" + i, ExpectedVersion.Any, Deposit(5, poison: true));
        }

        await using var daemon = new ProjectionDaemon(store, [new CountingProjection(policy: QuickPark)], FastOptions());
        await daemon.StartAsync(Ct);
        Assert.Equal(3, (await CatchUpAsync(daemon)).DeadLetters);
        var letters = await LettersAsync(store);
        var projections = store.GetProjectionStore();

        Assert.Equal(1, await projections.DeleteDeadLettersAsync("accounts", letters[1].Id, Ct));
        Assert.Equal([letters[0].Id, letters[2].Id], (await LettersAsync(store)).Select(d => d.Id));
        Assert.Equal(0, await projections.DeleteDeadLettersAsync("accounts", letters[1].Id, Ct));
        Assert.Equal(0, await projections.DeleteDeadLettersAsync("other", cancellationToken: Ct));
        Assert.Equal(2, await projections.DeleteDeadLettersAsync("accounts", cancellationToken: Ct));
        Assert.Empty(await LettersAsync(store));
        Assert.Equal(0, (await store.GetProjectionStatusAsync("accounts", Ct))!.DeadLetters);
        await Assert.ThrowsAsync<ArgumentException>(async () => await projections.DeleteDeadLettersAsync(" ", cancellationToken: Ct));
    }

    [Fact]
    public async Task Stopping_during_a_rebuild_leaves_it_stopped_and_the_next_daemon_finishes_the_rebuild()
    {
        await using var store = await NewStoreAsync();
        await FillAsync(store, streams: 2, perStream: 10);
        var first = new CountingProjection { HoldAfter = 26 };
        var daemon = new ProjectionDaemon(store, [first], FastOptions(batchSize: 4));
        await daemon.StartAsync(Ct);
        await CatchUpAsync(daemon);
        await daemon.RebuildAsync("accounts", 0, Ct);
        await first.Holding.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        Assert.Equal(ProjectionState.Rebuilding, (await store.GetProjectionStatusAsync("accounts", Ct))!.State);
        await daemon.DisposeAsync();

        var stopped = (await store.GetProjectionStatusAsync("accounts", Ct))!;
        Assert.Equal((ProjectionState.Stopped, (string?)null), (stopped.State, stopped.Owner));
        Assert.True(stopped.Position < await store.GetHeadPositionAsync(Ct));

        var second = new CountingProjection();
        await using var next = new ProjectionDaemon(store, [second], FastOptions("node-b", batchSize: 4));
        await next.StartAsync(Ct);
        var done = await CatchUpAsync(next);
        Assert.Equal(ProjectionState.Running, done.State);
        Assert.Equal((10, 55), (await ReadModelAsync(store, "accounts"))["acct-0"]);
        Assert.Empty(second.SideEffects);
    }
}
