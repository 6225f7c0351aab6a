// Example 06: event versioning. Three releases of an application stored customer-registered events in
// three shapes. With upcasters V1→V2→V3 registered, the current code reads all of them as V3,
// while the stored JSON stays exactly as it was written.
using System.Text;
using Eventuali;
using Eventuali.Typed;
using EventVersioning;

var directory = Directory.CreateTempSubdirectory("eventuali-example-06-");
var url = "sqlite://" + Path.Combine(directory.FullName, "customers.db");
try
{
    Console.WriteLine($"Store: {url}");

    // Each old release knew only its own type, so each writes through a registry with just that type.
    (string Release, string StreamId, object Event)[] history =
    [
        ("release 1", "customer-c-1", new CustomerRegisteredV1("c-1", "Ada Lovelace")),
        ("release 2", "customer-c-2", new CustomerRegisteredV2("c-2", "Alan", "Turing")),
        ("release 3", "customer-c-3", new CustomerRegisteredV3("c-3", "Grace", "Hopper", "grace@example.org", true)),
    ];
    var storedBefore = new Dictionary<string, string>();
    foreach (var (release, streamId, @event) in history)
    {
        var oldTypes = new EventTypeRegistry().Register(@event.GetType());
        await using var oldApp = await EventStore.CreateAsync(url, new EventStoreOptions { Types = oldTypes });
        await oldApp.AppendAsync(streamId, ExpectedVersion.NoStream, [oldTypes.ToEventData(@event)]);
        await foreach (var e in oldApp.ReadStreamAsync(streamId))
        {
            storedBefore[streamId] = Encoding.UTF8.GetString(e.Data.Span);
            Console.WriteLine($"{release} wrote {streamId}: {e.EventType,-24} {storedBefore[streamId]}");
        }
    }

    // The current release registers every version and the upcasters.
    var types = new EventTypeRegistry()
        .Register<CustomerRegisteredV1>()
        .Register<CustomerRegisteredV2>()
        .Register<CustomerRegisteredV3>()
        .AddCustomerUpcasters();
    await using (var store = await EventStore.CreateAsync(url, new EventStoreOptions { Types = types }))
    {
        Console.WriteLine();
        Console.WriteLine("The current release reads the global log through the typed layer:");
        var read = 0;
        await foreach (var recorded in store.ReadAllAsync())
        {
            var current = types.Deserialize(recorded);
            if (current is not CustomerRegisteredV3 v3)
            {
                throw new InvalidOperationException($"{recorded.StreamId} was read as {current.GetType().Name}, not the current V3");
            }

            read++;
            Console.WriteLine($"  {recorded.StreamId} stored as {recorded.EventType,-24} read as {v3}");
        }

        Check(read == 3, "three events read");

        Console.WriteLine();
        Console.WriteLine("Stored JSON after reading (unchanged; upcasting happens only in memory):");
        foreach (var (streamId, before) in storedBefore)
        {
            await foreach (var e in store.ReadStreamAsync(streamId))
            {
                var now = Encoding.UTF8.GetString(e.Data.Span);
                Check(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(now), System.Text.Json.Nodes.JsonNode.Parse(before)), $"{streamId} payload unchanged");
                Console.WriteLine($"  {streamId}: {e.EventType,-24} {now}");
            }
        }
    }

    Console.WriteLine("Example 06 finished: old shapes read as the current type, stored data untouched.");
    return 0;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"Example 06 FAILED: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
finally
{
    directory.Delete(recursive: true);
    Console.WriteLine($"(deleted {directory.FullName})");
}

static void Check(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException("Check failed: " + what);
    }
}
