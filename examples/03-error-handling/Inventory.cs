using Eventuali.Typed;

namespace ErrorHandling;

[EventType("stock-added")]
internal sealed record StockAdded(string Sku, int Quantity);

[EventType("stock-reserved")]
internal sealed record StockReserved(string OrderId, int Quantity);

/// <summary>A request the domain refuses; the caller gets a clear reason and nothing is stored.</summary>
internal sealed class DomainException(string message) : InvalidOperationException(message);

/// <summary>Stock of one product: reservations never exceed what is on the shelf.</summary>
[StreamCategory("inventory")]
internal sealed class Inventory : Aggregate
{
    public int Available { get; private set; }

    public static Inventory Create(string sku, int quantity)
    {
        var inventory = new Inventory();
        inventory.Raise(new StockAdded(sku, quantity));
        return inventory;
    }

    public void Reserve(string orderId, int quantity)
    {
        if (quantity <= 0)
        {
            throw new DomainException($"Order {orderId}: a reservation needs a positive quantity, got {quantity}.");
        }

        if (quantity > Available)
        {
            throw new DomainException($"Order {orderId}: cannot reserve {quantity} of {Id}, only {Available} available.");
        }

        Raise(new StockReserved(orderId, quantity));
    }

    private void Apply(StockAdded e)
    {
        Id = e.Sku;
        Available += e.Quantity;
    }

    private void Apply(StockReserved e) => Available -= e.Quantity;
}
