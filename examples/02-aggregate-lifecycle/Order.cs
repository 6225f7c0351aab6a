using Eventuali.Typed;

namespace AggregateLifecycle;

[EventType("order-placed")]
internal sealed record OrderPlaced(string OrderId, string Customer, decimal Total);

[EventType("order-paid")]
internal sealed record OrderPaid(decimal Amount, string PaymentReference);

[EventType("order-shipped")]
internal sealed record OrderShipped(string Carrier, string TrackingNumber);

[EventType("order-cancelled")]
internal sealed record OrderCancelled(string Reason);

[EventType("order-address-changed")]
internal sealed record OrderAddressChanged(string Address);

internal enum OrderStatus
{
    None,
    Placed,
    Paid,
    Shipped,
    Cancelled,
}

/// <summary>A transition the order's current state does not allow.</summary>
internal sealed class OrderRuleException(string message) : InvalidOperationException(message);

/// <summary>An order's life: placed → paid → shipped, or cancelled before it ships.</summary>
[StreamCategory("order")]
internal sealed class Order : Aggregate
{
    public OrderStatus Status { get; private set; }

    public decimal Total { get; private set; }

    public decimal Paid { get; private set; }

    public string Address { get; private set; } = "(none)";

    public static Order Place(string id, string customer, decimal total)
    {
        if (total <= 0)
        {
            throw new OrderRuleException($"An order total must be positive; got {total:N2}.");
        }

        var order = new Order();
        order.Raise(new OrderPlaced(id, customer, total));
        return order;
    }

    public void Pay(decimal amount, string reference)
    {
        Require(OrderStatus.Placed, "pay");
        if (amount != Total)
        {
            throw new OrderRuleException($"Order {Id} totals {Total:N2}; a payment of {amount:N2} does not settle it.");
        }

        Raise(new OrderPaid(amount, reference));
    }

    public void Ship(string carrier, string tracking)
    {
        Require(OrderStatus.Paid, "ship");
        Raise(new OrderShipped(carrier, tracking));
    }

    public void Cancel(string reason)
    {
        if (Status is not (OrderStatus.Placed or OrderStatus.Paid))
        {
            throw new OrderRuleException($"Cannot cancel order {Id}: it is {Status}.");
        }

        Raise(new OrderCancelled(reason));
    }

    public void ChangeAddress(string address)
    {
        if (Status is OrderStatus.Shipped or OrderStatus.Cancelled)
        {
            throw new OrderRuleException($"Cannot change the address of order {Id}: it is {Status}.");
        }

        Raise(new OrderAddressChanged(address));
    }

    private void Require(OrderStatus expected, string action)
    {
        if (Status != expected)
        {
            throw new OrderRuleException($"Cannot {action} order {Id}: it is {Status}, and only a {expected} order can be {(action == "pay" ? "paid" : action + "ped")}.");
        }
    }

    private void Apply(OrderPlaced e)
    {
        Id = e.OrderId;
        Total = e.Total;
        Status = OrderStatus.Placed;
    }

    private void Apply(OrderPaid e)
    {
        Paid = e.Amount;
        Status = OrderStatus.Paid;
    }

    private void Apply(OrderShipped e) => Status = OrderStatus.Shipped;

    private void Apply(OrderCancelled e) => Status = OrderStatus.Cancelled;

    private void Apply(OrderAddressChanged e) => Address = e.Address;
}
