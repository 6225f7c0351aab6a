using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Eventuali.Projections;

namespace Eventuali.Messaging.Testing;

/// <summary>
/// The consuming side the broker tests use (compiled into each broker test project): every delivery goes through the
/// inbox, whose handler keeps per stream the last version applied and how many were applied (one document per
/// stream), and notes any version out of order.
/// </summary>
internal sealed class CountingConsumer
{
    public ConcurrentQueue<string> Violations { get; } = new();

    public long Deliveries;

    /// <summary>Message ids whose handling commits and then "crashes" before the ack, once each.</summary>
    public ConcurrentDictionary<string, bool> CrashAfterCommit { get; } = new();

    public async ValueTask HandleAsync(MessageInbox inbox, InboundMessage message, CancellationToken ct)
    {
        Interlocked.Increment(ref Deliveries);
        await inbox.HandleAsync(message.MessageId, (tx, c) => ApplyAsync(tx, message, c), ct);
        if (CrashAfterCommit.TryRemove(message.MessageId, out _))
        {
            throw new IOException("consumer crashed between handling and ack");
        }
    }

    private async ValueTask ApplyAsync(IProjectionTransaction tx, InboundMessage message, CancellationToken ct)
    {
        var stream = message.Headers[MessageHeaders.StreamId];
        var version = long.Parse(message.Headers[MessageHeaders.StreamVersion], CultureInfo.InvariantCulture);
        var doc = await tx.Documents.GetAsync(stream, ct);
        long last = 0, count = 0;
        if (doc is not null)
        {
            using var json = JsonDocument.Parse(doc);
            last = json.RootElement.GetProperty("last").GetInt64();
            count = json.RootElement.GetProperty("count").GetInt64();
        }

        if (version != last + 1)
        {
            Violations.Enqueue($"{stream}: version {version} applied after {last}");
        }

        await tx.Documents.PutAsync(stream, string.Create(CultureInfo.InvariantCulture, $"{{\"last\":{version},\"count\":{count + 1}}}"), ct);
    }

    /// <summary>The applied count per stream, read back from the consumer's store.</summary>
    public static async Task<Dictionary<string, (long Last, long Count)>> ReadAsync(IEventStore store, string inbox, CancellationToken ct)
    {
        var result = new Dictionary<string, (long, long)>();
        await foreach (var doc in store.GetFeature<IProjectionStore>()!.ReadProjectionDocumentsAsync(inbox, ct))
        {
            using var json = JsonDocument.Parse(doc.Json);
            result[doc.Key] = (json.RootElement.GetProperty("last").GetInt64(), json.RootElement.GetProperty("count").GetInt64());
        }

        return result;
    }
}
