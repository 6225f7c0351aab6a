using Eventuali.Testing.Generation;
using Eventuali.Typed;

namespace Eventuali.SampleDomain;

// snippet: domain
/// <summary>Generates carts by driving the cart's own commands: open, add and remove items, mostly check out.</summary>
public sealed class ShopDomain : IEventHistoryDomain
{
    private static readonly string[] Skus = ["book-001", "mug-blue", "tea-green", "pen-black", "lamp-desk", "sock-wool", "map-world"];

    public string Name => "shop";

    public Aggregate CreateStream(GenerationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cart = Cart.Open(context.Id(), context.PersonName());
        var checkout = context.Events > 2 && context.Chance(0.8);
        while (cart.UncommittedEvents.Count < context.Events - (checkout ? 1 : 0))
        {
            if (cart.Skus.Count > 0 && context.Chance(0.2))
            {
                cart.Remove(context.Pick(cart.Skus.ToList()));
            }
            else
            {
                cart.Add(context.Pick(Skus), 1 + context.Random.Next(4), context.Amount(1m, 80m));
            }
        }

        if (checkout && cart.Skus.Count > 0)
        {
            cart.Checkout();
        }

        return cart;
    }
}
// end snippet

/// <summary>A domain with a bug: on its third stream it removes an item the cart never had, which the cart refuses.</summary>
public sealed class FaultyShopDomain : IEventHistoryDomain
{
    public string Name => "faulty-shop";

    public Aggregate CreateStream(GenerationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cart = Cart.Open(context.Id(), context.PersonName());
        cart.Add("book-001", 1, 10m);
        if (context.StreamIndex == 2)
        {
            cart.Remove("never-added");
        }

        return cart;
    }
}
