using Eventuali.Sagas;
using Eventuali.Subscriptions;
using Eventuali.Typed;
using static Eventuali.Conformance.SagaTestKit;

namespace Eventuali.Conformance;

/// <summary>The saga runner over the backend: a process across aggregates, crash recovery, compensation.</summary>
public abstract class SagaConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    [Fact]
    public async Task Happy_path_reserves_stock_requests_payment_and_confirms_the_order()
    {
        await using var store = await NewStoreAsync(OrderSaga.Options());
        var placed = store.Options.Types.ToEventData(new OrderPlaced("o1", "sku-9", 2, 40m));
        await store.AppendAsync("order-o1", ExpectedVersion.NoStream, [placed], Ct);
        await using (var running = Start(store))
        {
            await WaitUntilAsync(async () => await store.CountAsync("payment-o1") == 1, running, "the payment request");
            Assert.Equal([new StockReserved("o1", "sku-9", 2)], await store.EventsAsync("stock-sku-9"));
            Assert.Equal([new PaymentRequested("o1", 40m)], await store.EventsAsync("payment-o1"));
            var request = (await store.ReadStreamListAsync("payment-o1"))[0];
            Assert.Equal(("o1", placed.EventId.ToString(), "saga:" + OrderSaga.Name), (request.Metadata.CorrelationId, request.Metadata.CausationId, request.Metadata.ActorId));
            Assert.Equal(DeterministicId.ForSaga(OrderSaga.Name, placed.EventId, 1), request.EventId);
            Assert.NotNull(await store.GetSagaStore().GetNextTimeoutDueAsync(OrderSaga.Name, Ct));

            var paid = await store.AppendAsync("payment-o1", new PaymentSucceeded("o1"));
            await WaitForCompletionAsync(store, "o1", running);
            await running.Runner.WaitForPositionAsync(paid.LastPosition, Ct);
            Assert.Equal(2, running.Runner.HandledEvents);
            Assert.True(await store.GetCheckpointStore().LoadCheckpointAsync("saga:" + OrderSaga.Name, Ct) >= paid.LastPosition);
        }

        Assert.Equal([new OrderPlaced("o1", "sku-9", 2, 40m), new OrderConfirmed("o1")], await store.EventsAsync("order-o1"));
        var state = await store.GetSagaStore().LoadSagaAsync(OrderSaga.Name, "o1", Ct);
        Assert.True(state!.Completed);
        Assert.Null(state.Outbox);
        Assert.Contains("\"status\":\"confirmed\"", state.State, StringComparison.Ordinal);
        Assert.Null(await store.GetSagaStore().GetNextTimeoutDueAsync(OrderSaga.Name, Ct));
        Assert.Equal(1, await store.CountAsync("stock-sku-9"));
    }

    [Fact]
    public async Task Events_for_other_sagas_and_unknown_instances_are_passed_over()
    {
        await using var store = await NewStoreAsync(OrderSaga.Options());
        await store.AppendAsync("payment-o7", new PaymentSucceeded("o7")); // no instance o7: not a starter
        await store.AppendEventsAsync("misc-1", ExpectedVersion.Any, TestData.Json("unregistered-type"));
        var placed = await store.AppendAsync("order-o2", new OrderPlaced("o2", "sku-1", 1, 5m));
        await using var running = Start(store);
        await WaitUntilAsync(async () => await store.CountAsync("payment-o2") == 1, running, "the o2 payment request");
        await running.Runner.WaitForPositionAsync(placed.LastPosition, Ct);
        Assert.Null(await store.GetSagaStore().LoadSagaAsync(OrderSaga.Name, "o7", Ct));
        Assert.Equal(0, await store.CountAsync("order-o7"));
        Assert.Equal(1, running.Runner.HandledEvents);
    }

    [Fact]
    public async Task A_crash_after_an_append_commits_appends_nothing_twice_when_processing_resumes()
    {
        await using var inner = await NewStoreAsync(OrderSaga.Options());
        var crashing = new CrashAfterAppendStore(inner, stream => stream.StartsWith("payment-", StringComparison.Ordinal));
        await inner.AppendAsync("order-o1", new OrderPlaced("o1", "sku-9", 2, 40m));
        var options = new SagaRunnerOptions { SagaStore = inner.GetSagaStore(), Checkpoints = null };

        // First run: the stock reservation and the payment request commit, then the "process" dies.
        await using (var first = Start(crashing, options))
        {
            Assert.IsType<IOException>(await first.FailureAsync());
        }

        Assert.Equal(1, crashing.Crashes);
        Assert.Equal(1, await inner.CountAsync("payment-o1"));
        var saved = await inner.GetSagaStore().LoadSagaAsync(OrderSaga.Name, "o1", Ct);
        Assert.NotNull(saved!.Outbox); // decided, not yet confirmed written

        // Second run from the very beginning of the log: the outbox is written again (same ids), the event is recognised as handled.
        await using (var second = Start(crashing, options))
        {
            await WaitUntilAsync(async () => (await inner.GetSagaStore().LoadSagaAsync(OrderSaga.Name, "o1", Ct))!.Outbox is null, second, "the outbox to be confirmed");
            await second.Runner.WaitForPositionAsync(await inner.GetHeadPositionAsync(Ct), Ct);
            Assert.Equal(0, second.Runner.HandledEvents);
        }

        Assert.Equal(1, await inner.CountAsync("payment-o1"));
        Assert.Equal(1, await inner.CountAsync("stock-sku-9"));
        await AssertNoEventTwiceAsync(inner);

        // The process goes on: the payment succeeds and the order is confirmed exactly once.
        await inner.AppendAsync("payment-o1", new PaymentSucceeded("o1"));
        await using (var third = Start(inner))
        {
            await WaitForCompletionAsync(inner, "o1", third);
            await third.Runner.WaitForPositionAsync(await inner.GetHeadPositionAsync(Ct), Ct);
            Assert.Equal(1, third.Runner.HandledEvents);
        }

        Assert.Equal(1, await inner.CountAsync("stock-sku-9"));
        Assert.Equal(2, await inner.CountAsync("payment-o1"));
        await AssertNoEventTwiceAsync(inner);
    }

    [Fact]
    public async Task A_payment_failure_is_compensated_by_releasing_stock_and_cancelling_the_order()
    {
        await using var store = await NewStoreAsync(OrderSaga.Options());
        await store.AppendAsync("order-o1", new OrderPlaced("o1", "sku-9", 3, 99m));
        await using var running = Start(store);
        await WaitUntilAsync(async () => await store.CountAsync("payment-o1") == 1, running, "the payment request");
        await store.AppendAsync("payment-o1", new PaymentFailed("o1", "card declined"));
        await WaitForCompletionAsync(store, "o1", running);

        Assert.Equal([new StockReserved("o1", "sku-9", 3), new StockReleased("o1", "sku-9", 3)], await store.EventsAsync("stock-sku-9"));
        Assert.Equal(new OrderCancelled("o1", "payment failed: card declined"), (await store.EventsAsync("order-o1"))[1]);
        Assert.True((await store.GetSagaStore().LoadSagaAsync(OrderSaga.Name, "o1", Ct))!.Completed);
        Assert.Null(await store.GetSagaStore().GetNextTimeoutDueAsync(OrderSaga.Name, Ct));
    }

    [Fact]
    public async Task A_refused_append_runs_the_failure_handler_whose_compensation_is_written()
    {
        await using var store = await NewStoreAsync(OrderSaga.Options());
        await store.AppendAsync("payment-o1", new PaymentRequested("o1", 1m)); // someone else already opened this payment
        await store.AppendAsync("order-o1", new OrderPlaced("o1", "sku-9", 1, 10m));
        await using var running = Start(store);
        await WaitForCompletionAsync(store, "o1", running);

        Assert.Equal(1, running.Runner.Compensations);
        Assert.Equal(new OrderCancelled("o1", "ConcurrencyException on payment-o1"), (await store.EventsAsync("order-o1"))[1]);
        Assert.Equal([new StockReserved("o1", "sku-9", 1), new StockReleased("o1", "sku-9", 1)], await store.EventsAsync("stock-sku-9"));
        Assert.Equal(1, await store.CountAsync("payment-o1"));
        var saved = await store.GetSagaStore().LoadSagaAsync(OrderSaga.Name, "o1", Ct);
        Assert.True(saved!.Completed);
        Assert.Null(saved.Outbox);
    }
}
