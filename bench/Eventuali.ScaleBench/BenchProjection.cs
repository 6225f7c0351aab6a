using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Eventuali.Projections;

namespace Eventuali.ScaleBench;

/// <summary>
/// The projection measured: 8 partitions, and per event the work a read model does: read the stream's document,
/// fold the event in (a count, a running total, a SHA-256 chained over the payloads) and upsert it. Two round trips
/// to PostgreSQL per event inside the batch's transaction. By default the CPU part is small. With
/// <c>rounds</c> &gt; 0 the digest is also hashed that many more times per event: the CPU a heavier read model spends
/// in the node (scoring, rendering) rather than in the database, the case where a second node has work to take over
/// even when the database shares the machine.
/// </summary>
internal sealed class BenchProjection : Projection
{
    public const int PartitionCount = 8;
    public const string EventType = "amount-added";

    public BenchProjection(string name, int rounds = 0)
        : base(name)
    {
        Partitions = PartitionCount;
        On(EventType, async (e, ctx, ct) =>
        {
            var amount = JsonNode.Parse(e.Data.Span)!["amount"]!.GetValue<int>();
            var doc = await ctx.Documents.GetAsync(e.StreamId, ct) is { } json ? JsonNode.Parse(json)! : new JsonObject { ["events"] = 0, ["total"] = 0L, ["digest"] = "" };
            var hash = SHA256.HashData([.. Convert.FromHexString(doc["digest"]!.GetValue<string>()), .. e.Data.Span]);
            for (var i = 0; i < rounds; i++)
            {
                hash = SHA256.HashData(hash);
            }

            var digest = Convert.ToHexString(hash);
            doc["events"] = doc["events"]!.GetValue<int>() + 1;
            doc["total"] = doc["total"]!.GetValue<long>() + amount;
            doc["digest"] = digest;
            await ctx.Documents.PutAsync(e.StreamId, doc.ToJsonString(), ct);
        });
    }
}
