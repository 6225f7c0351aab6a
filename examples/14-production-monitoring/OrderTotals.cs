using System.Text.Json;
using System.Text.Json.Nodes;
using Eventuali;
using Eventuali.Projections;

namespace Monitoring;

/// <summary>Per customer: orders placed and their total, kept in the store's read-model documents.</summary>
internal sealed class OrderTotals : Projection
{
    public const string ProjectionName = "order-totals";

    public OrderTotals()
        : base(ProjectionName)
    {
        On("order-placed", async (e, ctx, ct) =>
        {
            var placed = JsonNode.Parse(e.Data.Span)!;
            var customer = placed["customer"]!.GetValue<string>();
            var doc = await ctx.Documents.GetAsync(customer, ct) is { } json
                ? JsonNode.Parse(json)!
                : new JsonObject { ["orders"] = 0, ["total"] = 0m };
            doc["orders"] = doc["orders"]!.GetValue<int>() + 1;
            doc["total"] = doc["total"]!.GetValue<decimal>() + placed["amount"]!.GetValue<decimal>();
            await ctx.Documents.PutAsync(customer, doc.ToJsonString(), ct);
        });
    }

    public static EventData Placed(string customer, decimal amount)
        => EventData.Json("order-placed", JsonSerializer.Serialize(new { customer, amount }));
}
