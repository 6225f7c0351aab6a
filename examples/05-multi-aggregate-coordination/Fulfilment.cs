using Eventuali;
using Eventuali.Cqrs;
using Eventuali.Sagas;
using Eventuali.Subscriptions;
using Eventuali.Typed;

namespace MultiAggregate;

internal sealed class FulfilmentState
{
    public string Sku { get; set; } = string.Empty;
    public int Quantity { get; set; }
    public decimal Amount { get; set; }
    public List<string> Steps { get; set; } = [];
}

/// <summary>
/// The process manager: order placed → reserve stock → charge payment → confirm. A rejected reservation cancels
/// the order; a declined payment releases the reserved stock (the compensating action) and cancels the order.
/// It only decides; the inventory and payment services below carry the commands out on their aggregates.
/// </summary>
internal static class Fulfilment
{
    public static SagaDefinition<FulfilmentState> Saga() => new SagaDefinition<FulfilmentState>("order-fulfilment")
        .StartedBy<OrderPlaced>(e => e.OrderId, (ctx, e) =>
        {
            (ctx.State.Sku, ctx.State.Quantity, ctx.State.Amount) = (e.Sku, e.Quantity, e.Amount);
            ctx.State.Steps.Add("reserve stock");
            ctx.Append("cmd-inventory-" + e.OrderId, new ReserveStock(e.OrderId, e.Sku, e.Quantity));
        })
        .Handles<StockReserved>(e => e.OrderId, (ctx, e) =>
        {
            ctx.State.Steps.Add("charge payment");
            ctx.Append("cmd-payment-" + e.OrderId, new ChargePayment(e.OrderId, ctx.State.Amount));
        })
        .Handles<ReservationRejected>(e => e.OrderId, (ctx, e) =>
        {
            ctx.State.Steps.Add("cancel (no stock)");
            ctx.Append("order-" + e.OrderId, new OrderCancelled(e.OrderId, $"only {e.Available} of {e.Sku} in stock, {e.Requested} ordered"));
            ctx.Complete();
        })
        .Handles<PaymentCaptured>(e => e.OrderId, (ctx, e) =>
        {
            ctx.State.Steps.Add("confirm");
            ctx.Append("order-" + e.OrderId, new OrderConfirmed(e.OrderId));
            ctx.Complete();
        })
        .Handles<PaymentDeclined>(e => e.OrderId, (ctx, e) =>
        {
            ctx.State.Steps.Add("compensate: release stock, cancel");
            ctx.Append("cmd-inventory-" + e.OrderId, new ReleaseStock(e.OrderId, ctx.State.Sku));
            ctx.Append("order-" + e.OrderId, new OrderCancelled(e.OrderId, "payment declined: " + e.Reason));
            ctx.Complete();
        });

    /// <summary>Position of the last command the services carried out.</summary>
    public static long ServedPosition => Volatile.Read(ref _served);

    private static long _served;

    /// <summary>Carries out inventory and payment commands through command handlers (load, decide, save, retry on conflict).</summary>
    public static async Task ServeCommandsAsync(IEventStore store, CancellationToken ct)
    {
        var inventory = new CommandHandler<Inventory>(store);
        var payments = new CommandHandler<Payment>(store);
        await foreach (var recorded in store.SubscribeToAllAsync(0, EventFilter.ForCategory("cmd-"), ct))
        {
            switch (store.Options.Types.Deserialize(recorded))
            {
                case ReserveStock c:
                    await inventory.HandleAsync(c.Sku, i => i.Reserve(c.OrderId, c.Quantity), cancellationToken: ct);
                    break;
                case ReleaseStock c:
                    await inventory.HandleAsync(c.Sku, i => i.Release(c.OrderId), cancellationToken: ct);
                    break;
                case ChargePayment c:
                    await payments.HandleAsync(c.OrderId, p => p.Charge(c.Amount), cancellationToken: ct);
                    break;
            }

            Volatile.Write(ref _served, recorded.Position);
        }
    }
}
