using Eventuali.Typed;

namespace Eventuali.SampleDomain;

/// <summary>A shopping cart: items can be added and removed until checkout; checkout needs at least one item.</summary>
[StreamCategory("cart")]
public sealed class Cart : Aggregate
{
    private readonly Dictionary<string, (int Quantity, decimal UnitPrice)> _items = new(StringComparer.Ordinal);

    public string Customer { get; private set; } = string.Empty;

    public bool CheckedOut { get; private set; }

    public IReadOnlyCollection<string> Skus => _items.Keys;

    public decimal Total => _items.Values.Sum(i => i.Quantity * i.UnitPrice);

    public static Cart Open(string id, string customer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customer);
        var cart = new Cart();
        cart.Raise(new CartOpened(id, customer));
        return cart;
    }

    public void Add(string sku, int quantity, decimal unitPrice)
    {
        RequireOpen();
        if (quantity <= 0)
        {
            throw new InvalidOperationException($"Quantity must be positive; got {quantity}.");
        }

        Raise(new ItemAdded(sku, quantity, unitPrice));
    }

    public void Remove(string sku)
    {
        RequireOpen();
        if (!_items.ContainsKey(sku))
        {
            throw new InvalidOperationException($"Cart {Id} has no item {sku} to remove.");
        }

        Raise(new ItemRemoved(sku));
    }

    public void Checkout()
    {
        RequireOpen();
        if (_items.Count == 0)
        {
            throw new InvalidOperationException($"Cart {Id} is empty; there is nothing to check out.");
        }

        Raise(new CartCheckedOut(Id, Total));
    }

    private void RequireOpen()
    {
        if (CheckedOut)
        {
            throw new InvalidOperationException($"Cart {Id} is checked out.");
        }
    }

    private void Apply(CartOpened e)
    {
        Id = e.CartId;
        Customer = e.Customer;
    }

    private void Apply(ItemAdded e)
        => _items[e.Sku] = _items.TryGetValue(e.Sku, out var i) ? (i.Quantity + e.Quantity, e.UnitPrice) : (e.Quantity, e.UnitPrice);

    private void Apply(ItemRemoved e) => _items.Remove(e.Sku);

    private void Apply(CartCheckedOut e) => CheckedOut = true;
}

/// <summary>The commands, as the application routes them.</summary>
public sealed record AddItem(string CartId, string Sku, int Quantity, decimal UnitPrice);

public sealed record CheckOut(string CartId);
