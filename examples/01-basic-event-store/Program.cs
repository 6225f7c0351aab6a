// Example 01: the raw event store API on a real SQLite file.
// Append with metadata, read a stream forward and backward, read the global log (whole and filtered),
// see an expected-version conflict refused, and retry an append idempotently.
using System.Text;
using Eventuali;

var directory = Directory.CreateTempSubdirectory("eventuali-example-01-");
var url = "sqlite://" + Path.Combine(directory.FullName, "events.db");
try
{
    await using (var store = await EventStore.CreateAsync(url))
    {
        await BasicEventStore.RunAsync(store, url);
    }

    Console.WriteLine();
    Console.WriteLine("Example 01 finished: every step behaved as described.");
    return 0;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"Example 01 FAILED: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
finally
{
    directory.Delete(recursive: true);
    Console.WriteLine($"(deleted {directory.FullName})");
}

internal static class BasicEventStore
{
    public static async Task RunAsync(IEventStore store, string url)
    {
        Console.WriteLine($"Store: {url}");

        // 1. Append two events to a new stream. NoStream: refuse if someone created it already.
        var metadata = new EventMetadata(
            CorrelationId: "checkout-7f3a",
            CausationId: "http-request-42",
            ActorId: "user:alice",
            Headers: new Dictionary<string, string> { ["tenant"] = "acme", ["client"] = "web" });
        var placed = EventData.Json("order-placed", """{"orderId":"1001","customer":"alice","total":42.50}""", metadata);
        var lineAdded = EventData.Json("line-added", """{"sku":"BOOK-1","quantity":2,"price":21.25}""", metadata);
        var first = await store.AppendAsync("order-1001", ExpectedVersion.NoStream, [placed, lineAdded]);
        Console.WriteLine($"1. Appended 2 events to order-1001: stream version {first.StreamVersion}, last position {first.LastPosition}");

        // 2. Append at an exact version: we know the stream is at 2.
        var paid = EventData.Json("order-paid", """{"orderId":"1001","amount":42.50,"method":"card"}""", metadata with { CausationId = placed.EventId.ToString() });
        var second = await store.AppendAsync("order-1001", ExpectedVersion.Exact(2), [paid]);
        Check(second.StreamVersion == 3, "the third event should be version 3");
        Console.WriteLine($"2. Appended order-paid expecting version 2: now version {second.StreamVersion}, position {second.LastPosition}");

        await store.AppendAsync("order-1002", ExpectedVersion.NoStream, [EventData.Json("order-placed", """{"orderId":"1002","customer":"bob","total":9.99}""")]);
        await store.AppendAsync("customer-alice", ExpectedVersion.Any, [EventData.Json("customer-registered", """{"name":"Alice"}""")]);
        Console.WriteLine("   Also appended to order-1002 and customer-alice.");

        // 3. Read the stream forward, then backward from the newest event.
        Console.WriteLine("3. order-1001 forward:");
        await foreach (var e in store.ReadStreamAsync("order-1001"))
        {
            Console.WriteLine($"   v{e.StreamVersion} pos {e.Position} {e.EventType,-13} {Encoding.UTF8.GetString(e.Data.Span)}");
        }

        var newest = new List<string>();
        await foreach (var e in store.ReadStreamAsync("order-1001", StreamVersion.End, maxCount: 2, ReadDirection.Backward))
        {
            newest.Add($"v{e.StreamVersion} {e.EventType}");
        }

        Check(newest.Count == 2 && newest[0].StartsWith("v3", StringComparison.Ordinal), "a backward read starts at the newest event");
        Console.WriteLine($"   backward, newest two: {string.Join(", ", newest)}");

        // 4. Metadata comes back field by field.
        await foreach (var e in store.ReadStreamAsync("order-1001", maxCount: 1))
        {
            Check(e.Metadata.ContentEquals(metadata), "metadata should round-trip");
            Console.WriteLine($"4. Metadata of v1: correlation {e.Metadata.CorrelationId}, causation {e.Metadata.CausationId}, actor {e.Metadata.ActorId}, headers {string.Join(", ", e.Metadata.Headers!.Select(h => h.Key + "=" + h.Value))}, stored at {e.Timestamp:O}");
        }

        // 5. The global log: every stream in position order; then filtered by category and by type.
        Console.WriteLine("5. Global log:");
        var all = 0;
        await foreach (var e in store.ReadAllAsync())
        {
            all++;
            Console.WriteLine($"   pos {e.Position} {e.StreamId,-15} v{e.StreamVersion} {e.EventType}");
        }

        var orders = await CountAsync(store.ReadAllAsync(filter: EventFilter.ForCategory("order-")));
        var placedCount = await CountAsync(store.ReadAllAsync(filter: EventFilter.ForEventTypes("order-placed")));
        Check(all == 5 && orders == 4 && placedCount == 2, $"expected 5 events, 4 in order-*, 2 order-placed; got {all}, {orders}, {placedCount}");
        Console.WriteLine($"   category 'order-': {orders} events; type 'order-placed': {placedCount} events");

        // 6. A writer that still believes the stream is at version 2 is refused, and nothing is written.
        try
        {
            await store.AppendAsync("order-1001", ExpectedVersion.Exact(2), [EventData.Json("order-cancelled", """{"orderId":"1001"}""")]);
            throw new InvalidOperationException("the stale append was accepted");
        }
        catch (ConcurrencyException ex)
        {
            var version = await store.GetStreamVersionAsync("order-1001");
            Check(ex.ActualVersion == 3 && version == 3, "the conflict reports version 3 and writes nothing");
            Console.WriteLine($"6. Stale append refused: {ex.Message}");
            Console.WriteLine($"   order-1001 is still at version {version}");
        }

        // 7. Retrying an append whose reply was lost (same event ids) returns the original result and writes nothing.
        var retry = await store.AppendAsync("order-1001", ExpectedVersion.Exact(2), [paid]);
        Check(retry == second, "an idempotent retry returns the original result");
        Console.WriteLine($"7. Retried the order-paid append with the same event id: got version {retry.StreamVersion}, position {retry.LastPosition} again; head is still {await store.GetHeadPositionAsync()}");
    }

    private static async Task<int> CountAsync(IAsyncEnumerable<RecordedEvent> events)
    {
        var n = 0;
        await foreach (var _ in events)
        {
            n++;
        }

        return n;
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Check failed: " + what);
        }
    }
}
