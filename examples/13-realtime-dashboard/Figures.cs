using Eventuali.Typed;

namespace Dashboard;

[EventType("shop.order-placed")]
internal sealed record OrderPlaced(string OrderId, string Region, decimal Amount);

[EventType("shop.order-cancelled")]
internal sealed record OrderCancelled(string OrderId, string Region, decimal Amount);

/// <summary>Figures computed from the event stream, one event at a time (read while another thread writes).</summary>
internal sealed class Figures
{
    public long Events { get; private set; }
    public long Position { get; private set; }
    public int Orders { get; private set; }
    public int Cancelled { get; private set; }
    public decimal Revenue { get; private set; }
    public SortedDictionary<string, (int Orders, decimal Revenue)> Regions { get; } = new(StringComparer.Ordinal);

    public void Apply(object e, long position)
    {
        Events++;
        Position = position;
        switch (e)
        {
            case OrderPlaced p:
                Orders++;
                Revenue += p.Amount;
                var r = Regions.GetValueOrDefault(p.Region);
                Regions[p.Region] = (r.Orders + 1, r.Revenue + p.Amount);
                break;
            case OrderCancelled c:
                Cancelled++;
                Revenue -= c.Amount;
                var x = Regions[c.Region];
                Regions[c.Region] = (x.Orders - 1, x.Revenue - c.Amount);
                break;
        }
    }
}
