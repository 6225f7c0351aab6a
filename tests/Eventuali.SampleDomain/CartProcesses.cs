using System.Globalization;
using Eventuali.Cqrs;
using Eventuali.Projections;
using Eventuali.Sagas;
using System.Text.Json;

namespace Eventuali.SampleDomain;

public static class CartRoutes
{
    public static void Register(CommandDispatcher routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.Register<AddItem, Cart>(c => c.CartId, (cart, c) => cart.Add(c.Sku, c.Quantity, c.UnitPrice))
              .Register<CheckOut, Cart>(c => c.CartId, (cart, _) => cart.Checkout());
    }
}

/// <summary>The total of every checked-out cart: document key = cart id, <c>{"total": n}</c>.</summary>
public sealed class CheckoutTotals : Projection
{
    public CheckoutTotals()
        : base("checkout-totals")
    {
        On("cart-checked-out", async (e, ctx, ct) =>
        {
            using var payload = JsonDocument.Parse(e.Data);
            var cart = payload.RootElement.GetProperty("cartId").GetString()!;
            var total = payload.RootElement.GetProperty("total").GetDecimal();
            await ctx.Documents.PutAsync(cart, string.Create(CultureInfo.InvariantCulture, $$"""{"total":{{total}}}"""), ct);
        });
    }
}

/// <summary>Requests shipment on checkout; a cart left open for a day is abandoned.</summary>
public static class ShippingSaga
{
    public static readonly TimeSpan AbandonAfter = TimeSpan.FromDays(1);

    public sealed class State
    {
        public string CartId { get; set; } = string.Empty;
    }

    public static SagaDefinition<State> Definition() => new SagaDefinition<State>("shipping")
        .StartedBy<CartOpened>(e => e.CartId, (ctx, e) =>
        {
            ctx.State.CartId = e.CartId;
            ctx.Schedule("abandon", AbandonAfter);
        })
        .Handles<CartCheckedOut>(e => e.CartId, (ctx, e) =>
        {
            ctx.Append("shipment-" + e.CartId, new ShipmentRequested(e.CartId, e.Total));
            ctx.Cancel("abandon");
            ctx.Complete();
        })
        .OnTimeout((ctx, t) =>
        {
            ctx.Append("cart-" + ctx.State.CartId, new CartAbandoned(ctx.State.CartId));
            ctx.Complete();
        });
}
