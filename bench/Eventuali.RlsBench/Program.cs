using System.Diagnostics;
using System.Globalization;
using Eventuali;
using Eventuali.Bench;
using Eventuali.PostgreSql;
using Eventuali.Tenancy;
using Npgsql;

// Shared tables with row-level security (tenancy=rls) against the single-tenant store, in the same run on the same
// server: append-batch (events/s, concurrent appends of 10 events, group-committed) and load-aggregate (stream loads/s of
// a 100-event stream). Rounds alternate which store goes first; medians are reported with the ratio rls / single.
// Usage: [RLSBENCH_OPTIONS=…] dotnet run -c Release --project bench/Eventuali.RlsBench -- ADMIN_URL [rounds]
// ADMIN_URL: postgresql://… of a role that may create roles (scripts/postgres.sh makes eventuali_admin, a superuser).
var adminUrl = args.Length > 0 ? args[0] : "postgresql://eventuali_admin:eventuali@127.0.0.1:54329/eventuali";
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
// Extra URL options for both stores alike, e.g. "Max%20Auto%20Prepare=20" (RLSBENCH_OPTIONS).
var options = Environment.GetEnvironmentVariable("RLSBENCH_OPTIONS") is { Length: > 0 } extra ? "&" + extra : string.Empty;
const int Appends = 2_000, BatchSize = 10, Writers = 8, StreamLength = 100, Loads = 500;

var suffix = Guid.NewGuid().ToString("N")[..8];
var (owner, app, password, schema) = ("bench_own_" + suffix, "bench_app_" + suffix, "pw" + suffix, "rb" + suffix);
var single = "rlsbench_single_" + suffix;
await using var admin = NpgsqlDataSource.Create(BenchPostgres.ConnectionString(adminUrl));
await ExecAsync($"CREATE ROLE {owner} LOGIN PASSWORD '{password}'");
await ExecAsync($"CREATE ROLE {app} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '{password}'");
await ExecAsync($"GRANT CREATE ON DATABASE \"{new Uri(adminUrl).AbsolutePath.TrimStart('/')}\" TO {owner}");
try
{
    await using var factory = await PostgreSqlRlsTenantStoreFactory.OpenAsync(As(app) + "?schema=" + schema + "&tenancy=rls" + options, As(owner) + "?schema=" + schema, EventStoreOptions.Default);
    var tenant = TenantId.Parse("bench");
    await factory.CreateTenantAsync(tenant);
    await factory.CreateTenantAsync(TenantId.Parse("noise"));
    await using var rls = await factory.GetStoreAsync(tenant);
    await using (var noise = await factory.GetStoreAsync(TenantId.Parse("noise")))
    {
        // Another tenant's rows in the same tables and indexes, as many as the measured tenant writes per round.
        await AppendBatchAsync(noise, "noise");
    }

    await using var plain = await EventStore.CreateAsync(adminUrl + (adminUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "schema=" + single);
    var results = new Dictionary<string, List<double>> { ["append single"] = [], ["append rls"] = [], ["load single"] = [], ["load rls"] = [] };
    foreach (var store in new[] { plain, rls })
    {
        await SeedAggregateAsync(store); // warm-up and the stream load-aggregate reads
    }

    for (var round = 0; round < rounds; round++)
    {
        var order = round % 2 == 0 ? new[] { ("single", plain), ("rls", rls) } : [("rls", rls), ("single", plain)];
        foreach (var (name, store) in order)
        {
            results["append " + name].Add(await AppendBatchAsync(store, $"r{round}"));
            results["load " + name].Add(await LoadAggregateAsync(store));
        }
    }

    Console.WriteLine($"| workload | single-tenant (median of {rounds}) | tenancy=rls (median of {rounds}) | rls / single |");
    Console.WriteLine("|---|---|---|---|");
    foreach (var (workload, unit) in new[] { ("append", "events/s"), ("load", "loads/s") })
    {
        var (s, r) = (Median(results[workload + " single"]), Median(results[workload + " rls"]));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {(workload == "append" ? "append-batch" : "load-aggregate")} | {s:N0} {unit} | {r:N0} {unit} | {r / s:P0} |"));
    }
}
finally
{
    NpgsqlConnection.ClearAllPools();
    await ExecAsync($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
    await ExecAsync($"DROP SCHEMA IF EXISTS \"{single}\" CASCADE");
    foreach (var role in new[] { app, owner })
    {
        await ExecAsync($"DROP OWNED BY {role} CASCADE");
        await ExecAsync($"DROP ROLE IF EXISTS {role}");
    }
}

async Task<double> AppendBatchAsync(IEventStore store, string prefix)
{
    var next = -1;
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
    {
        for (var i = Interlocked.Increment(ref next); i < Appends; i = Interlocked.Increment(ref next))
        {
            var events = Enumerable.Range(0, BatchSize).Select(n => new EventData(EventData.NewEventId(), "deposited", "{\"amount\": 10}"u8.ToArray())).ToList();
            await store.AppendAsync($"{prefix}-acct-{i}", ExpectedVersion.NoStream, events);
        }
    })));
    return Appends * BatchSize / watch.Elapsed.TotalSeconds;
}

async Task SeedAggregateAsync(IEventStore store)
{
    var events = Enumerable.Range(0, StreamLength).Select(n => new EventData(EventData.NewEventId(), "deposited", "{\"amount\": 10}"u8.ToArray())).ToList();
    await store.AppendAsync("aggregate-1", ExpectedVersion.Any, events);
    await LoadAggregateAsync(store);
}

async Task<double> LoadAggregateAsync(IEventStore store)
{
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < Loads; i++)
    {
        var count = 0;
        await foreach (var e in store.ReadStreamAsync("aggregate-1"))
        {
            count += e.Data.Length > 0 ? 1 : 0;
        }

        if (count < StreamLength)
        {
            throw new InvalidOperationException($"Loaded {count} events of aggregate-1; expected at least {StreamLength}.");
        }
    }

    return Loads / watch.Elapsed.TotalSeconds;
}

string As(string role)
{
    var uri = new Uri(adminUrl);
    return $"{uri.Scheme}://{role}:{password}@{uri.Host}:{uri.Port}{uri.AbsolutePath}";
}

async Task ExecAsync(string sql)
{
    await using var cmd = admin.CreateCommand(sql);
    await cmd.ExecuteNonQueryAsync();
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
