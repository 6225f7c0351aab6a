using Eventuali.Projections;
using static Eventuali.Conformance.ProjectionTestData;

namespace Eventuali.Conformance;

/// <summary>A poison event: retried, then parked in the dead-letter table or stopping the projection, as configured.</summary>
public abstract class ProjectionFailureConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    [Fact]
    public async Task A_poison_event_is_retried_then_dead_lettered_and_the_rest_applied()
    {
        await using var store = await NewStoreAsync();
        await FillAsync(store, streams: 2, perStream: 5);
        var poison = await store.AppendEventsAsync("acct-0", ExpectedVersion.Any, Deposit(1000, poison: true));
        await FillAsync(store, streams: 2, perStream: 1);
        var projection = new CountingProjection(policy: new ProjectionFailurePolicy { MaxAttempts = 3, InitialBackoff = TimeSpan.FromMilliseconds(2) });
        await using var daemon = new ProjectionDaemon(store, [projection], FastOptions());
        await daemon.StartAsync(Ct);
        var status = await CatchUpAsync(daemon);

        Assert.Equal(1, status.DeadLetters);
        var parked = Assert.Single(await store.GetProjectionStore().ReadDeadLettersAsync("accounts", Ct));
        Assert.Equal(poison.LastPosition, parked.Position);
        Assert.Equal("acct-0", parked.StreamId);
        Assert.Equal(6, parked.StreamVersion);
        Assert.Equal("deposited", parked.EventType);
        Assert.Equal(3, parked.Attempts);
        Assert.Contains("poison event", parked.Error, StringComparison.Ordinal);
        var model = await ReadModelAsync(store, "accounts");
        Assert.Equal((6, 16), model["acct-0"]);
        Assert.Equal((6, 16), model["acct-1"]);
    }

    [Fact]
    public async Task A_poison_event_under_the_stop_policy_faults_the_projection_before_it()
    {
        await using var store = await NewStoreAsync();
        await FillAsync(store, streams: 1, perStream: 4);
        var before = await store.GetHeadPositionAsync(Ct);
        var poison = await store.AppendEventsAsync("acct-0", ExpectedVersion.Any, Deposit(1000, poison: true));
        await FillAsync(store, streams: 1, perStream: 2);
        var projection = new CountingProjection(policy: new ProjectionFailurePolicy { MaxAttempts = 2, InitialBackoff = TimeSpan.FromMilliseconds(2), OnFailure = ProjectionFailureAction.Stop });
        await using var daemon = new ProjectionDaemon(store, [projection], FastOptions());
        await daemon.StartAsync(Ct);

        ProjectionStatus? status = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (status?.State != ProjectionState.Faulted)
        {
            await Task.Delay(10, timeout.Token);
            status = await store.GetProjectionStatusAsync("accounts", timeout.Token);
        }

        Assert.True(status.Position >= before && status.Position < poison.LastPosition, $"faulted at {status.Position}; expected before {poison.LastPosition}");
        Assert.Contains("poison event", status.Error, StringComparison.Ordinal);
        Assert.Equal(0, status.DeadLetters);
        Assert.Equal((4, 10), (await ReadModelAsync(store, "accounts"))["acct-0"]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => daemon.WaitForCatchUpAsync("accounts", timeout.Token));

        // It stays put: nothing after the poison event is applied.
        await Task.Delay(200, Ct);
        Assert.Equal((4, 10), (await ReadModelAsync(store, "accounts"))["acct-0"]);
    }
}
