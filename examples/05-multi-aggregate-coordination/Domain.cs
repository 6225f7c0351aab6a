using Eventuali.Typed;

namespace MultiAggregate;

// Order, inventory (one aggregate per SKU) and payment (one per order), and the commands the process sends them.

[EventType("shop.order-placed")]
internal sealed record OrderPlaced(string OrderId, string Sku, int Quantity, decimal Amount);

[EventType("shop.order-confirmed")]
internal sealed record OrderConfirmed(string OrderId);

[EventType("shop.order-cancelled")]
internal sealed record OrderCancelled(string OrderId, string Reason);

[EventType("shop.stock-added")]
internal sealed record StockAdded(string Sku, int Quantity);

[EventType("shop.stock-reserved")]
internal sealed record StockReserved(string OrderId, string Sku, int Quantity);

[EventType("shop.reservation-rejected")]
internal sealed record ReservationRejected(string OrderId, string Sku, int Requested, int Available);

[EventType("shop.stock-released")]
internal sealed record StockReleased(string OrderId, string Sku, int Quantity);

[EventType("shop.payment-captured")]
internal sealed record PaymentCaptured(string OrderId, decimal Amount);

[EventType("shop.payment-declined")]
internal sealed record PaymentDeclined(string OrderId, decimal Amount, string Reason);

[EventType("shop.cmd.reserve-stock")]
internal sealed record ReserveStock(string OrderId, string Sku, int Quantity);

[EventType("shop.cmd.release-stock")]
internal sealed record ReleaseStock(string OrderId, string Sku);

[EventType("shop.cmd.charge-payment")]
internal sealed record ChargePayment(string OrderId, decimal Amount);

[StreamCategory("order")]
internal sealed class Order : Aggregate
{
    public string Status { get; private set; } = "none";

    public static Order Place(string id, string sku, int quantity, decimal amount)
    {
        var order = new Order();
        order.Raise(new OrderPlaced(id, sku, quantity, amount));
        return order;
    }

    private void Apply(OrderPlaced e) => (Id, Status) = (e.OrderId, "placed");

    private void Apply(OrderConfirmed e) => Status = "confirmed";

    private void Apply(OrderCancelled e) => Status = "cancelled: " + e.Reason;
}

[StreamCategory("inventory")]
internal sealed class Inventory : Aggregate
{
    private readonly Dictionary<string, int> _reservations = new(StringComparer.Ordinal);

    public int Available { get; private set; }

    public void Add(int quantity) => Raise(new StockAdded(Id, quantity));

    /// <summary>Reserves stock for an order, or records why it cannot; a repeated command changes nothing.</summary>
    public void Reserve(string orderId, int quantity)
    {
        if (_reservations.ContainsKey(orderId))
        {
            return;
        }

        Raise(quantity <= Available ? new StockReserved(orderId, Id, quantity) : new ReservationRejected(orderId, Id, quantity, Available));
    }

    public void Release(string orderId)
    {
        if (_reservations.TryGetValue(orderId, out var quantity) && quantity > 0)
        {
            Raise(new StockReleased(orderId, Id, quantity));
        }
    }

    private void Apply(StockAdded e) => Available += e.Quantity;

    private void Apply(StockReserved e)
    {
        Available -= e.Quantity;
        _reservations[e.OrderId] = e.Quantity;
    }

    private void Apply(ReservationRejected e) => _reservations[e.OrderId] = 0;

    private void Apply(StockReleased e)
    {
        Available += e.Quantity;
        _reservations[e.OrderId] = 0;
    }
}

[StreamCategory("payment")]
internal sealed class Payment : Aggregate
{
    public const decimal CardLimit = 300m;

    public bool Settled { get; private set; }

    /// <summary>Charges the card once; amounts above the limit are declined.</summary>
    public void Charge(decimal amount)
    {
        if (!Settled)
        {
            Raise(amount <= CardLimit ? new PaymentCaptured(Id, amount) : new PaymentDeclined(Id, amount, $"over the card limit of {CardLimit}"));
        }
    }

    private void Apply(PaymentCaptured e) => Settled = true;

    private void Apply(PaymentDeclined e) => Settled = true;
}
