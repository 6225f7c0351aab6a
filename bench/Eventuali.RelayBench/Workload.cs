using System.Globalization;
using System.Text;
using Eventuali.Messaging;
using Eventuali.Sqlite;

namespace Eventuali.RelayBench;

/// <summary>The events the benchmark relays: a few categories of streams, small JSON payloads like a real domain's.</summary>
internal static class Workload
{
    public static readonly string[] Categories = ["order", "payment", "account"];

    /// <summary>The one topic of the latency runs (a consumer reads one topic on every broker).</summary>
    public const string LatencyTopic = "bench";

    /// <summary>Fills a new SQLite store at <paramref name="file"/> with <paramref name="count"/> events, 100 per append, in 3,000 streams.</summary>
    public static async Task FillAsync(string file, int count, CancellationToken ct)
    {
        await using var store = await SqliteEventStore.OpenAsync(file, EventStoreOptions.Default with { Durability = Durability.Relaxed }, ct).ConfigureAwait(false);
        var batch = new List<EventData>(100);
        for (var written = 0; written < count; written += batch.Count)
        {
            batch.Clear();
            var n = Math.Min(100, count - written);
            for (var i = 0; i < n; i++)
            {
                batch.Add(Event(written + i));
            }

            var stream = StreamOf(written / 100);
            await store.AppendAsync(stream, ExpectedVersion.Any, batch, ct).ConfigureAwait(false);
        }
    }

    public static string StreamOf(int i) => string.Create(CultureInfo.InvariantCulture, $"{Categories[i % Categories.Length]}-{i % 3000}");

    /// <summary>Event number <paramref name="n"/>; the latency consumer reads <c>n</c> back from the body.</summary>
    public static EventData Event(long n)
    {
        var json = string.Create(CultureInfo.InvariantCulture, $"{{\"n\":{n},\"amount\":{n % 500},\"currency\":\"EUR\",\"note\":\"benchmark event {n}\"}}");
        return new EventData(EventData.NewEventId(), "money-deposited", Encoding.UTF8.GetBytes(json), new EventMetadata("corr-" + (n / 100).ToString(CultureInfo.InvariantCulture)), ContentTypes.Json);
    }

    /// <summary>The event number in a body made by <see cref="Event"/>.</summary>
    public static long NumberOf(ReadOnlySpan<byte> body)
    {
        // {"n":123,... : the digits after the 5-byte prefix.
        long n = 0;
        for (var i = 5; i < body.Length && body[i] is >= (byte)'0' and <= (byte)'9'; i++)
        {
            n = n * 10 + (body[i] - '0');
        }

        return n;
    }

    /// <summary>The messages the relay makes of the store's events (built ahead, untimed, for the raw publish loop).</summary>
    public static async Task<List<OutboundMessage>> MessagesAsync(IEventStore store, CancellationToken ct)
    {
        var messages = new List<OutboundMessage>();
        var route = new RelayRoute("raw");
        await foreach (var e in store.ReadAllAsync(1, int.MaxValue, null, ct).ConfigureAwait(false))
        {
            messages.Add(OutboundMessage.From(e, route.TopicOf(e.StreamId)));
        }

        return messages;
    }
}
