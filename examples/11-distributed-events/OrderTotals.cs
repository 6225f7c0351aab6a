using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Eventuali;
using Eventuali.Projections;

namespace DistributedEvents;

/// <summary>
/// A partitioned projection: per order stream, how many items were added and their quantity. Six partitions by a hash
/// of the stream id; each event also gets a little real work (a digest of its payload, kept in the document).
/// </summary>
internal sealed class OrderTotals : Projection
{
    public const string ProjectionName = "order-totals";
    public const int PartitionCount = 6;

    public OrderTotals()
        : base(ProjectionName)
    {
        Partitions = PartitionCount;
        On("item-added", async (e, ctx, ct) =>
        {
            var qty = JsonNode.Parse(e.Data.Span)!["qty"]!.GetValue<int>();
            var doc = await ctx.Documents.GetAsync(e.StreamId, ct) is { } json ? JsonNode.Parse(json)! : new JsonObject { ["events"] = 0, ["qty"] = 0, ["digest"] = "" };
            var digest = Convert.ToHexString(SHA256.HashData([.. Convert.FromHexString(doc["digest"]!.GetValue<string>()), .. e.Data.Span]));
            doc["events"] = doc["events"]!.GetValue<int>() + 1;
            doc["qty"] = doc["qty"]!.GetValue<int>() + qty;
            doc["digest"] = digest;
            await ctx.Documents.PutAsync(e.StreamId, doc.ToJsonString(), ct);
        });
    }
}
