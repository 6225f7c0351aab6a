using Eventuali.Typed;

namespace Eventuali.SampleDomain;

[EventType("cart-opened")]
public sealed record CartOpened(string CartId, string Customer);

// snippet: versions
/// <summary>The first shape of an added item: no price. Still read from old streams, upcast to <see cref="ItemAdded"/>.</summary>
[EventType("item-added", Version = 1)]
public sealed record ItemAddedV1(string Sku, int Quantity);

[EventType("item-added-v2", Version = 2)]
public sealed record ItemAdded(string Sku, int Quantity, decimal UnitPrice);
// end snippet

[EventType("item-removed")]
public sealed record ItemRemoved(string Sku);

/// <summary>Stored as "cart-closed" before it was renamed; the alias keeps those readable.</summary>
[EventType("cart-checked-out")]
public sealed record CartCheckedOut(string CartId, decimal Total);

[EventType("cart-abandoned")]
public sealed record CartAbandoned(string CartId);

[EventType("shipment-requested")]
public sealed record ShipmentRequested(string CartId, decimal Total);

// snippet: setup
/// <summary>The application's registrations, found by the CLI through <see cref="IEventTypeSetup"/>.</summary>
public sealed class CartTypes : IEventTypeSetup
{
    public void Configure(EventTypeRegistry types)
    {
        ArgumentNullException.ThrowIfNull(types);
        types.Register<CartOpened>().Register<ItemAddedV1>().Register<ItemAdded>().Register<ItemRemoved>()
            .Register<CartCheckedOut>().Register<CartAbandoned>().Register<ShipmentRequested>()
            .AddUpcaster<ItemAddedV1, ItemAdded>(old => new ItemAdded(old.Sku, old.Quantity, 0m))
            .AddAlias<CartCheckedOut>("cart-closed");
    }
}
// end snippet
