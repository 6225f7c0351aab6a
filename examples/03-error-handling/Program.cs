// Example 03: what goes wrong and how it is reported, on a real SQLite file.
// Domain errors, a conflict-retry loop, a payload that no longer matches its type (reported with
// stream, version and position while every other stream stays readable), and stores that cannot be opened.
using ErrorHandling;
using Eventuali;
using Eventuali.Typed;

var directory = Directory.CreateTempSubdirectory("eventuali-example-03-");
var url = "sqlite://" + Path.Combine(directory.FullName, "inventory.db");
try
{
    var options = new EventStoreOptions { Types = new EventTypeRegistry().RegisterAssembly(typeof(Inventory).Assembly) };
    await using (var store = await EventStore.CreateAsync(url, options))
    {
        Console.WriteLine($"Store: {url}");
        await Errors.DomainErrorsAsync(store);
        await Errors.ConflictRetryAsync(store);
        await Errors.CorruptPayloadAsync(store);
    }

    await Errors.BadStoresAsync(directory.FullName);
    Console.WriteLine("Example 03 finished: every error was reported as described.");
    return 0;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"Example 03 FAILED: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
finally
{
    directory.Delete(recursive: true);
    Console.WriteLine($"(deleted {directory.FullName})");
}

internal static class Errors
{
    public static async Task DomainErrorsAsync(IEventStore store)
    {
        Console.WriteLine("1. Domain errors");
        await store.SaveAsync(Inventory.Create("widget-a", 10));
        await store.SaveAsync(Inventory.Create("widget-b", 5));
        var widget = await LoadAsync(store, "widget-a");
        foreach (var (order, quantity) in (ReadOnlySpan<(string, int)>)[("o-1", 25), ("o-2", 0)])
        {
            try
            {
                widget.Reserve(order, quantity);
                throw new InvalidOperationException("the domain accepted an impossible reservation");
            }
            catch (DomainException ex)
            {
                Console.WriteLine($"   refused: {ex.Message}");
            }
        }

        Check(widget.UncommittedEvents.Count == 0 && await store.GetStreamVersionAsync("inventory-widget-a") == 1, "a refused command stores nothing");
        Console.WriteLine("   nothing was stored: inventory-widget-a is still at version 1");
    }

    public static async Task ConflictRetryAsync(IEventStore store)
    {
        Console.WriteLine("2. Conflict retry loop (another writer saves between our load and our save, once)");
        var competitorWrote = false;
        var attempts = await SaveWithRetryAsync(store, "widget-a", inventory => inventory.Reserve("o-3", 4), async () =>
        {
            if (!competitorWrote)
            {
                competitorWrote = true;
                var other = await LoadAsync(store, "widget-a");
                other.Reserve("o-competitor", 3);
                await store.SaveAsync(other);
                Console.WriteLine("   (a competing writer reserved 3 in between)");
            }
        });
        var final = await LoadAsync(store, "widget-a");
        Check(attempts == 2 && final.Available == 3 && final.Version == 3, $"expected 2 attempts and 3 left at version 3; got {attempts}, {final.Available}, v{final.Version}");
        Console.WriteLine($"   saved on attempt {attempts}; widget-a has {final.Available} available at version {final.Version}");
    }

    public static async Task CorruptPayloadAsync(IEventStore store)
    {
        Console.WriteLine("3. A stored payload that does not match its type");

        // Written through the raw API, as an old or buggy writer might have: valid JSON, wrong shape.
        await store.AppendAsync("inventory-widget-c", ExpectedVersion.NoStream, [EventData.Json("stock-added", """{"sku":"widget-c","quantity":"lots"}""")]);
        try
        {
            await store.LoadAsync<Inventory>("widget-c");
            throw new InvalidOperationException("the corrupt payload was read as if it were fine");
        }
        catch (EventDeserializationException ex)
        {
            Check(ex.StreamId == "inventory-widget-c" && ex.StreamVersion == 1 && ex.Position > 0, "the error names stream, version and position");
            Console.WriteLine($"   {ex.Message}");
            Console.WriteLine($"   (stream {ex.StreamId}, version {ex.StreamVersion}, position {ex.Position}, type {ex.EventType})");
        }

        var a = await LoadAsync(store, "widget-a");
        var b = await LoadAsync(store, "widget-b");
        var raw = 0;
        await foreach (var _ in store.ReadAllAsync())
        {
            raw++;
        }

        Console.WriteLine($"   other streams still load: widget-a {a.Available} available, widget-b {b.Available} available; the raw global log reads all {raw} events");
    }

    public static async Task BadStoresAsync(string directory)
    {
        Console.WriteLine("4. Stores that cannot be opened");
        var blocker = Path.Combine(directory, "not-a-directory");
        await File.WriteAllTextAsync(blocker, "a plain file");
        var notAStore = Path.Combine(directory, "notes.db");
        await File.WriteAllTextAsync(notAStore, "these are my notes, not a database");
        string[] urls =
        [
            "sqlite://" + Path.Combine(directory, "missing-dir", "events.db"),
            "sqlite://" + Path.Combine(blocker, "events.db"),
            "sqlite://" + notAStore,
            "mysql://root:hunter2@localhost/events",
            "events.db",
        ];
        foreach (var bad in urls)
        {
            try
            {
                await using var store = await EventStore.CreateAsync(bad);
                throw new InvalidOperationException($"'{bad}' opened although it should not");
            }
            catch (EventualiException ex)
            {
                Check(!ex.Message.Contains("hunter2", StringComparison.Ordinal), "no password in messages");
                Console.WriteLine($"   {bad}\n     -> {ex.GetType().Name}: {ex.Message}");
            }
        }

        Check(await File.ReadAllTextAsync(notAStore) == "these are my notes, not a database", "a file that is not a store is left untouched");
        Console.WriteLine("   notes.db was left untouched");
    }

    private static async Task<int> SaveWithRetryAsync(IEventStore store, string sku, Action<Inventory> decide, Func<Task> beforeSave, int maxAttempts = 3)
    {
        for (var attempt = 1; ; attempt++)
        {
            var inventory = await LoadAsync(store, sku);
            decide(inventory); // re-decided on fresh state every attempt: the rule may now refuse
            await beforeSave();
            try
            {
                await store.SaveAsync(inventory);
                return attempt;
            }
            catch (ConcurrencyException ex) when (attempt < maxAttempts)
            {
                Console.WriteLine($"   attempt {attempt} conflicted ({ex.Message}); reloading and deciding again");
            }
        }
    }

    private static async Task<Inventory> LoadAsync(IEventStore store, string sku)
        => await store.LoadAsync<Inventory>(sku) ?? throw new InvalidOperationException($"inventory {sku} not found");

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Check failed: " + what);
        }
    }
}
