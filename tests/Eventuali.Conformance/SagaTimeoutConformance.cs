using Eventuali.Sagas;
using Eventuali.Typed;
using Microsoft.Extensions.Time.Testing;
using static Eventuali.Conformance.SagaTestKit;

namespace Eventuali.Conformance;

/// <summary>Saga timeouts on the backend, driven by a fake clock: they fire when due, once.</summary>
public abstract class SagaTimeoutConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    private static readonly DateTimeOffset Start0 = new(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_timeout_fires_when_the_fake_clock_reaches_it_and_never_again()
    {
        var clock = new FakeTimeProvider(Start0);
        await using var store = await NewStoreAsync(OrderSaga.Options());
        var options = new SagaRunnerOptions { TimeProvider = clock };
        await using (var running = SagaTestKit.Start(store, options))
        {
            // The runner is idle (no timeout anywhere) when the order arrives: scheduling must wake its timeout loop.
            await Task.Delay(100, Ct);
            await store.AppendAsync("order-o1", new OrderPlaced("o1", "sku-9", 1, 10m));
            await WaitUntilAsync(async () => await store.GetSagaStore().GetNextTimeoutDueAsync(OrderSaga.Name, Ct) is not null, running, "the timeout to be scheduled");
            Assert.Equal(Start0 + OrderSaga.PaymentTimeout, await store.GetSagaStore().GetNextTimeoutDueAsync(OrderSaga.Name, Ct));

            clock.Advance(OrderSaga.PaymentTimeout - TimeSpan.FromSeconds(1));
            Assert.Equal(0, await running.Runner.FireDueTimeoutsAsync(Ct)); // not due yet
            Assert.Equal(0, running.Runner.FiredTimeouts);
            Assert.Equal(1, await store.CountAsync("order-o1"));

            clock.Advance(TimeSpan.FromSeconds(1));
            await WaitUntilAsync(() => Task.FromResult(running.Runner.FiredTimeouts == 1), running, "the timeout to fire");
            clock.Advance(TimeSpan.FromHours(2));
            Assert.Equal(0, await running.Runner.FireDueTimeoutsAsync(Ct));
        }

        Assert.Equal(new OrderCancelled("o1", "payment timed out"), (await store.EventsAsync("order-o1"))[1]);
        Assert.Equal([new StockReserved("o1", "sku-9", 1), new StockReleased("o1", "sku-9", 1)], await store.EventsAsync("stock-sku-9"));
        Assert.Null(await store.GetSagaStore().GetNextTimeoutDueAsync(OrderSaga.Name, Ct));

        // A fresh runner, much later, finds nothing to fire and nothing to handle again.
        using var again = new SagaRunner<OrderProcess>(store, OrderSaga.Definition(), options);
        Assert.Equal(0, await again.FireDueTimeoutsAsync(Ct));
        Assert.False(await again.HandleAsync((await store.ReadStreamListAsync("order-o1"))[0], Ct));
        Assert.Equal(2, await store.CountAsync("order-o1"));
        await AssertNoEventTwiceAsync(store);
    }

    [Fact]
    public async Task A_crash_while_firing_a_timeout_fires_it_again_without_appending_twice()
    {
        var clock = new FakeTimeProvider(Start0);
        await using var inner = await NewStoreAsync(OrderSaga.Options());
        var crashing = new CrashAfterAppendStore(inner, stream => stream.StartsWith("stock-", StringComparison.Ordinal)) { Armed = false };
        var options = new SagaRunnerOptions { TimeProvider = clock, SagaStore = inner.GetSagaStore(), Checkpoints = null };
        await inner.AppendAsync("order-o1", new OrderPlaced("o1", "sku-9", 1, 10m));
        using (var runner = new SagaRunner<OrderProcess>(crashing, OrderSaga.Definition(), options))
        {
            Assert.True(await runner.HandleAsync((await inner.ReadStreamListAsync("order-o1"))[0], Ct));
            clock.Advance(OrderSaga.PaymentTimeout);
            crashing.Armed = true; // the stock release commits, then the process dies
            await Assert.ThrowsAsync<IOException>(async () => await runner.FireDueTimeoutsAsync(Ct));
        }

        Assert.Equal(2, await inner.CountAsync("stock-sku-9"));
        Assert.Equal(1, await inner.CountAsync("order-o1"));

        using (var restarted = new SagaRunner<OrderProcess>(crashing, OrderSaga.Definition(), options))
        {
            // The timeout stays until its decision is written: the restart finds it due and finishes writing that
            // decision (same event ids) instead of deciding again; then it is gone.
            Assert.Equal(1, await restarted.FireDueTimeoutsAsync(Ct));
            Assert.Equal(0, await restarted.FireDueTimeoutsAsync(Ct));
            Assert.False(await restarted.HandleAsync((await inner.ReadStreamListAsync("order-o1"))[0], Ct));
        }

        Assert.Equal(2, await inner.CountAsync("stock-sku-9"));
        Assert.Equal(2, await inner.CountAsync("order-o1"));
        Assert.Equal(new OrderCancelled("o1", "payment timed out"), (await inner.EventsAsync("order-o1"))[1]);
        Assert.Null((await inner.GetSagaStore().LoadSagaAsync(OrderSaga.Name, "o1", Ct))!.Outbox);
        await AssertNoEventTwiceAsync(inner);
    }
}
