using System.Text.Json;
using System.Text.Json.Nodes;
using Eventuali;
using Eventuali.Projections;
using Eventuali.Sqlite;

namespace Projections;

/// <summary>
/// Per customer: orders placed, their total and how many shipped (built-in read model), plus one row per
/// shipment in a table of its own written through the batch's SQLite transaction. Sends a "shipped" e-mail
/// per shipment - a side effect skipped while replaying.
/// </summary>
internal sealed class CustomerOrders : Projection
{
    private int _emails;

    public CustomerOrders()
        : base("customer-orders")
    {
        On("order-placed", async (e, ctx, ct) =>
        {
            var placed = JsonNode.Parse(e.Data.Span)!;
            var customer = placed["customer"]!.GetValue<string>();
            var doc = await LoadAsync(ctx, customer, ct);
            doc["orders"] = doc["orders"]!.GetValue<int>() + 1;
            doc["total"] = doc["total"]!.GetValue<decimal>() + placed["amount"]!.GetValue<decimal>();
            await ctx.Documents.PutAsync(customer, doc.ToJsonString(), ct);
        });
        On("order-shipped", async (e, ctx, ct) =>
        {
            var shipped = JsonNode.Parse(e.Data.Span)!;
            var customer = shipped["customer"]!.GetValue<string>();
            var doc = await LoadAsync(ctx, customer, ct);
            doc["shipped"] = doc["shipped"]!.GetValue<int>() + 1;
            await ctx.Documents.PutAsync(customer, doc.ToJsonString(), ct);

            // A table of our own, in the same transaction as the documents and the position.
            var sqlite = ctx.GetSqlite();
            using var insert = sqlite.CreateCommand();
            insert.CommandText = "INSERT OR REPLACE INTO shipments (order_id, carrier) VALUES ($order, $carrier)";
            insert.Parameters.AddWithValue("$order", e.StreamId);
            insert.Parameters.AddWithValue("$carrier", shipped["carrier"]!.GetValue<string>());
            insert.ExecuteNonQuery();

            if (!ctx.IsReplaying)
            {
                Interlocked.Increment(ref _emails); // stands for "send the shipped e-mail": never twice for one shipment
            }
        });
    }

    public int EmailsSent => Volatile.Read(ref _emails);

    private static async Task<JsonNode> LoadAsync(ProjectionContext ctx, string customer, CancellationToken ct)
        => await ctx.Documents.GetAsync(customer, ct) is { } json ? JsonNode.Parse(json)! : new JsonObject { ["orders"] = 0, ["total"] = 0m, ["shipped"] = 0 };

    public static EventData Placed(string customer, decimal amount) => EventData.Json("order-placed", JsonSerializer.Serialize(new { customer, amount }));

    public static EventData Shipped(string customer, string carrier) => EventData.Json("order-shipped", JsonSerializer.Serialize(new { customer, carrier }));
}
