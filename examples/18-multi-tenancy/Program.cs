// Example 18: two tenants in one file-per-tenant SQLite directory (sqlite://DIR/?tenancy=file). Both append orders
// under the same stream ids; each reads back only its own, with its own global log positions from 1, and a live
// subscription of one never sees the other's appends. A daily quota on one tenant refuses an append whole, and the
// usage report (metered in each tenant's file, in the append's transaction) matches a count of the rows read back.
using System.Text;
using Eventuali;
using Eventuali.Subscriptions;
using Eventuali.Tenancy;

var directory = Directory.CreateTempSubdirectory("eventuali-example-18-");
try
{
    await using var tenants = await EventStore.OpenTenantsAsync("sqlite://" + directory.FullName + "/?tenancy=file");
    var acme = TenantId.Parse("acme");
    var globex = TenantId.Parse(" Globex "); // ids are trimmed and lower-cased once, here
    await tenants.CreateTenantAsync(acme);
    await tenants.CreateTenantAsync(globex);
    Console.WriteLine("tenants: " + string.Join(", ", (await tenants.ListTenantsAsync()).Select(t => t.Tenant)));

    await using var a = await tenants.GetStoreAsync(acme);
    await using var b = await tenants.GetStoreAsync(globex);

    // The same stream ids in both tenants: order-1..order-3, different contents.
    for (var i = 1; i <= 3; i++)
    {
        await a.AppendAsync($"order-{i}", ExpectedVersion.NoStream, [Order("acme", i, lines: i)]);
        await b.AppendAsync($"order-{i}", ExpectedVersion.NoStream, [Order("globex", i, lines: 10 * i), Order("globex", i, lines: 1)]);
    }

    foreach (var (name, store) in new[] { ("acme", a), ("globex", b) })
    {
        var events = await store.ReadStreamAsync("order-2").ToListAsync();
        Console.WriteLine($"{name} order-2: {string.Join(" | ", events.Select(e => $"v{e.StreamVersion} {Encoding.UTF8.GetString(e.Data.Span)}"))}");
        Check(events.All(e => Encoding.UTF8.GetString(e.Data.Span).Contains($"\"tenant\":\"{name}\"", StringComparison.Ordinal)), $"{name} reads only its own order-2");
        var log = await store.ReadAllAsync().ToListAsync();
        Console.WriteLine($"{name} global log: positions {string.Join(",", log.Select(e => e.Position))}, head {await store.GetHeadPositionAsync()}");
        Check(log[0].Position == 1 && log.Select(e => e.Position).SequenceEqual(Enumerable.Range(1, log.Count).Select(p => (long)p)), $"{name}'s positions start at 1 and are its own");
    }

    Check(await a.GetStreamVersionAsync("order-3") == 1 && await b.GetStreamVersionAsync("order-3") == 2, "order-3 is version 1 in acme and 2 in globex");

    // A live subscription of acme while globex appends: it sees acme's marker and nothing of globex.
    var seen = new List<RecordedEvent>();
    using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
    var from = await a.GetHeadPositionAsync();
    var subscription = Task.Run(async () =>
    {
        await foreach (var e in a.SubscribeToAllAsync(afterPosition: from, cancellationToken: stop.Token))
        {
            seen.Add(e);
            if (e.EventType == "marker")
            {
                break;
            }
        }
    });
    for (var i = 4; i <= 6; i++)
    {
        await b.AppendAsync($"order-{i}", ExpectedVersion.NoStream, [Order("globex", i, lines: 2)]);
    }

    await a.AppendAsync("markers", ExpectedVersion.Any, [new EventData(EventData.NewEventId(), "marker", "{}"u8.ToArray())]);
    await subscription.WaitAsync(stop.Token);
    Console.WriteLine($"acme's subscription saw: {string.Join(", ", seen.Select(e => $"{e.StreamId}@{e.Position}"))} (globex appended 3 orders meanwhile)");
    Check(seen.Count == 1 && seen[0].EventType == "marker", "acme's subscription saw its own marker only");

    // A quota: globex may append 2 more events today; an append of 3 is refused whole.
    var admin = (ITenantAdministration)tenants;
    var before = (await admin.ReadUsageAsync(globex, null, null)).Single();
    await admin.SetConfigurationAsync(globex, new TenantConfiguration(new TenantQuotas(MaxEventsPerDay: before.Events + 2)));
    var headBefore = await b.GetHeadPositionAsync();
    try
    {
        await b.AppendAsync("order-7", ExpectedVersion.NoStream, [Order("globex", 7, 1), Order("globex", 7, 2), Order("globex", 7, 3)]);
        Check(false, "the append over the quota is refused");
    }
    catch (TenantQuotaExceededException ex)
    {
        Console.WriteLine($"refused: quota {ex.Quota}, limit {ex.Limit}, current {ex.Current}, requested {ex.Requested}");
    }

    Check(await b.GetHeadPositionAsync() == headBefore && await b.GetStreamVersionAsync("order-7") is null, "nothing of the refused append was written, not even its stream");
    await b.AppendAsync("order-7", ExpectedVersion.NoStream, [Order("globex", 7, 1), Order("globex", 7, 2)]);
    Console.WriteLine("an append of 2 fits the quota exactly and is stored");

    // The usage report against a count of what each tenant's store holds.
    foreach (var usage in await admin.ReadUsageAsync(null, null, null))
    {
        var store = usage.Tenant == acme ? a : b;
        var rows = await store.ReadAllAsync().ToListAsync();
        var bytes = rows.Sum(e => (long)e.Data.Length);
        var streams = rows.Select(e => e.StreamId).Distinct(StringComparer.Ordinal).Count();
        Console.WriteLine($"usage {usage.Tenant}: events {usage.Events} (rows {rows.Count}), bytes {usage.Bytes} (rows {bytes}), streams {usage.Streams} (rows {streams}), reads {usage.Reads}, storage {usage.StorageBytes} bytes");
        Check(usage.Events == rows.Count && usage.Bytes == bytes && usage.Streams == streams, $"{usage.Tenant}'s usage equals its stored rows");
    }

    Console.WriteLine("OK");
    return 0;
}
finally
{
    directory.Delete(recursive: true);
}

static EventData Order(string tenant, int order, int lines)
    => new(EventData.NewEventId(), "order-placed", Encoding.UTF8.GetBytes($"{{\"tenant\":\"{tenant}\",\"order\":{order},\"lines\":{lines}}}"));

static void Check(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException("check failed: " + what);
    }
}
