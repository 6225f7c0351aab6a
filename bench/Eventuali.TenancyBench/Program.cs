using System.Diagnostics;
using System.Globalization;
using Eventuali;
using Eventuali.Bench;
using Eventuali.Tenancy;

// Many tenants in file-per-tenant SQLite mode, opened and written round-robin: time, and what stays bounded (open
// stores, file descriptors, memory) while every tenant is written in turn through the factory's bounded cache.
//   Eventuali.TenancyBench [--tenants 1000] [--rounds 5] [--events 10] [--cache 64] [--durability relaxed|full] [--dir DIR]
// Every round appends one batch to each tenant (its own store taken and released); at the end every tenant is read
// back and must hold exactly rounds x events events. Exit code 1 when one does not.
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i += 2)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
    {
        Console.Error.WriteLine($"'{args[i]}' is not an option with a value. Options: --tenants --rounds --events --cache --durability --dir");
        return 2;
    }

    options[args[i][2..]] = args[i + 1];
}

int Int(string name, int fallback, int min)
{
    if (!options.TryGetValue(name, out var text))
    {
        return fallback;
    }

    return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min
        ? v
        : throw new ArgumentException($"--{name} takes a whole number of at least {min}, not '{text}'.");
}

var tenantCount = Int("tenants", 1_000, 1);
var rounds = Int("rounds", 5, 1);
var eventsPerAppend = Int("events", 10, 1);
var cache = Int("cache", 64, 1);
var durability = options.GetValueOrDefault("durability", "relaxed");
var ownDir = !options.ContainsKey("dir");
var dir = options.GetValueOrDefault("dir") ?? Path.Combine(Path.GetTempPath(), "eventuali-tenancy-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(dir);
var url = $"sqlite://{dir}/?tenancy=file&cache={cache}&durability={durability}";
Console.WriteLine(Format($"{tenantCount:N0} tenants, {rounds} rounds of one {eventsPerAppend}-event append each, cache of {cache} open stores, durability {durability}, in {dir} (load {Figures.LoadAverage()})"));

var ids = Enumerable.Range(0, tenantCount).Select(i => TenantId.Parse(Format($"tenant-{i:D5}"))).ToArray();
var payload = "{\"amount\":42,\"currency\":\"EUR\",\"note\":\"round-robin tenancy bench\"}"u8.ToArray();
var samples = new List<Sample>();
try
{
    await using var tenants = await EventStore.OpenTenantsAsync(url);
    var factory = (Eventuali.Sqlite.SqliteTenantStoreFactory)tenants;
    samples.Add(Sample.Take("opened", 0, TimeSpan.Zero, factory.OpenStoreCount));

    var clock = Stopwatch.StartNew();
    foreach (var id in ids)
    {
        await tenants.CreateTenantAsync(id);
    }

    samples.Add(Sample.Take("created", 0, clock.Elapsed, factory.OpenStoreCount));
    for (var round = 1; round <= rounds; round++)
    {
        clock.Restart();
        foreach (var id in ids)
        {
            var batch = new EventData[eventsPerAppend];
            for (var e = 0; e < batch.Length; e++)
            {
                batch[e] = new EventData(EventData.NewEventId(), "PaymentTaken", payload);
            }

            await using var store = await tenants.GetStoreAsync(id);
            await store.AppendAsync(Format($"payments-{round}"), ExpectedVersion.NoStream, batch);
        }

        samples.Add(Sample.Take(Format($"round {round}"), tenantCount * eventsPerAppend, clock.Elapsed, factory.OpenStoreCount));
    }

    // Read back: every tenant holds exactly its own rounds x events events.
    clock.Restart();
    var wrong = 0;
    foreach (var id in ids)
    {
        await using var store = await tenants.GetStoreAsync(id);
        if (await store.GetHeadPositionAsync() != rounds * eventsPerAppend)
        {
            wrong++;
        }
    }

    samples.Add(Sample.Take("read back", 0, clock.Elapsed, factory.OpenStoreCount));
    Print(samples);
    var appendRates = samples.Where(s => s.Events > 0).Select(s => s.Events / s.Elapsed.TotalSeconds);
    Console.WriteLine(Format($"append rate, median of {rounds} rounds: {Figures.Median(appendRates):N0} events/s ({Figures.Median(appendRates) / eventsPerAppend:N0} tenant stores taken, written and released per second)"));
    Console.WriteLine(Format($"tenant files: {Directory.GetFiles(Path.Combine(dir, "data"), "*.db").Length:N0}; load average now {Figures.LoadAverage()}"));
    if (wrong > 0)
    {
        Console.Error.WriteLine(Format($"{wrong} of {tenantCount} tenants did not hold exactly {rounds * eventsPerAppend} events."));
        return 1;
    }

    Console.WriteLine(Format($"every one of {tenantCount:N0} tenants holds exactly {rounds * eventsPerAppend} events"));
    return 0;
}
finally
{
    if (ownDir)
    {
        Directory.Delete(dir, recursive: true);
    }
}

static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

static void Print(List<Sample> samples)
{
    Console.WriteLine("| step | seconds | events/s | open stores | open file descriptors | working set MB | GC heap MB (after a full GC) |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
    foreach (var s in samples)
    {
        var rate = s.Events > 0 ? Format($"{s.Events / s.Elapsed.TotalSeconds:N0}") : "";
        Console.WriteLine(Format($"| {s.Step} | {s.Elapsed.TotalSeconds:F2} | {rate} | {s.OpenStores} | {s.FileDescriptors} | {s.WorkingSetMb:F0} | {s.HeapMb:F1} |"));
    }
}

/// <summary>What one step took and what the process held at its end.</summary>
internal sealed record Sample(string Step, long Events, TimeSpan Elapsed, int OpenStores, int FileDescriptors, double WorkingSetMb, double HeapMb)
{
    public static Sample Take(string step, long events, TimeSpan elapsed, int openStores)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var fds = Directory.Exists("/proc/self/fd") ? Directory.GetFiles("/proc/self/fd").Length : -1;
        using var self = Process.GetCurrentProcess();
        return new Sample(step, events, elapsed, openStores, fds, self.WorkingSet64 / 1048576.0, GC.GetTotalMemory(false) / 1048576.0);
    }
}
