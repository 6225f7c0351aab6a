using Eventuali.Sagas;
using Eventuali.Typed;

namespace Eventuali.Conformance;

// An order process across three aggregates' streams: order, stock (per SKU) and payment (per order).

[EventType("saga-test.order-placed")]
internal sealed record OrderPlaced(string OrderId, string Sku, int Quantity, decimal Amount);

[EventType("saga-test.stock-reserved")]
internal sealed record StockReserved(string OrderId, string Sku, int Quantity);

[EventType("saga-test.stock-released")]
internal sealed record StockReleased(string OrderId, string Sku, int Quantity);

[EventType("saga-test.payment-requested")]
internal sealed record PaymentRequested(string OrderId, decimal Amount);

[EventType("saga-test.payment-succeeded")]
internal sealed record PaymentSucceeded(string OrderId);

[EventType("saga-test.payment-failed")]
internal sealed record PaymentFailed(string OrderId, string Reason);

[EventType("saga-test.order-confirmed")]
internal sealed record OrderConfirmed(string OrderId);

[EventType("saga-test.order-cancelled")]
internal sealed record OrderCancelled(string OrderId, string Reason);

internal sealed class OrderProcess
{
    public string Status { get; set; } = "new";
    public string Sku { get; set; } = string.Empty;
    public int Quantity { get; set; }
    public decimal Amount { get; set; }
}

internal static class OrderSaga
{
    public const string Name = "order-fulfilment";
    public static readonly TimeSpan PaymentTimeout = TimeSpan.FromMinutes(30);

    public static EventStoreOptions Options(TimeProvider? clock = null) => new()
    {
        TimeProvider = clock ?? TimeProvider.System,
        Types = new EventTypeRegistry().RegisterAssembly(typeof(OrderSaga).Assembly),
    };

    public static SagaDefinition<OrderProcess> Definition() => new SagaDefinition<OrderProcess>(Name)
        .StartedBy<OrderPlaced>(e => e.OrderId, (ctx, e) =>
        {
            ctx.State.Status = "awaiting-payment";
            ctx.State.Sku = e.Sku;
            ctx.State.Quantity = e.Quantity;
            ctx.State.Amount = e.Amount;
            ctx.Append("stock-" + e.Sku, new StockReserved(e.OrderId, e.Sku, e.Quantity));
            ctx.Append("payment-" + e.OrderId, ExpectedVersion.NoStream, new PaymentRequested(e.OrderId, e.Amount));
            ctx.Schedule("payment-timeout", PaymentTimeout, new { e.OrderId });
        })
        .Handles<PaymentSucceeded>(e => e.OrderId, (ctx, e) =>
        {
            ctx.State.Status = "confirmed";
            ctx.Append("order-" + e.OrderId, new OrderConfirmed(e.OrderId));
            ctx.Cancel("payment-timeout");
            ctx.Complete();
        })
        .Handles<PaymentFailed>(e => e.OrderId, (ctx, e) => Compensate(ctx, "payment failed: " + e.Reason))
        .OnTimeout((ctx, t) => Compensate(ctx, "payment timed out"))
        .OnAppendFailed((ctx, f) => Compensate(ctx, $"{f.Error.GetType().Name} on {f.StreamId}"));

    private static void Compensate(SagaContext<OrderProcess> ctx, string reason)
    {
        ctx.State.Status = "cancelled";
        ctx.Append("stock-" + ctx.State.Sku, new StockReleased(ctx.SagaId, ctx.State.Sku, ctx.State.Quantity));
        ctx.Append("order-" + ctx.SagaId, new OrderCancelled(ctx.SagaId, reason));
        ctx.Complete();
    }
}

/// <summary>Passes everything to a real store, but after chosen appends commit it throws, as a process dying before it hears the reply would.</summary>
internal sealed class CrashAfterAppendStore(IEventStore inner, Func<string, bool> crashAfter) : IEventStore
{
    private int _crashes;

    public int Crashes => _crashes;

    public bool Armed { get; set; } = true;

    public EventStoreOptions Options => inner.Options;

    public async ValueTask<AppendResult> AppendAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        var result = await inner.AppendAsync(streamId, expectedVersion, events, cancellationToken);
        if (Armed && crashAfter(streamId))
        {
            Armed = false;
            Interlocked.Increment(ref _crashes);
            throw new IOException($"simulated crash after the append to '{streamId}' committed");
        }

        return result;
    }

    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long fromVersion = 1, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward, CancellationToken cancellationToken = default)
        => inner.ReadStreamAsync(streamId, fromVersion, maxCount, direction, cancellationToken);

    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(long fromPosition = 1, int maxCount = int.MaxValue, EventFilter? filter = null, CancellationToken cancellationToken = default)
        => inner.ReadAllAsync(fromPosition, maxCount, filter, cancellationToken);

    public ValueTask<long?> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default) => inner.GetStreamVersionAsync(streamId, cancellationToken);

    public ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) => inner.GetHeadPositionAsync(cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
