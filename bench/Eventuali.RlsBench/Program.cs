using System.Diagnostics;
using System.Globalization;
using Eventuali;
using Eventuali.Bench;
using Eventuali.PostgreSql;
using Eventuali.Tenancy;
using Npgsql;

// Shared tables with row-level security (tenancy=rls) against the single-tenant store, in the same run on the same
// server, with the same URL options, events, warm-up and durability. Workloads:
//   append-batch 8x10: 2,000 appends of 10 events by 8 concurrent writers (group-committed), events/s;
//   append-batch 1x50: the standard append-batch shape (eventuali benchmark -w append-batch): one writer, appends of
//                      50 events, each to a new stream, events/s;
//   load-aggregate: loads of a 100-event stream, loads/s.
// Rounds alternate which store goes first; per workload the medians and the median of the per-round ratios are printed.
// Planner statistics: both schemas are analyzed after the warm-up (as autovacuum does on a live server within a minute);
// RLSBENCH_ANALYZE=0 leaves them as autovacuum happens to leave them (see docs/multi-tenancy.md).
// RLSBENCH_WORKLOADS=1x50,load runs only the workloads whose names contain one of those words.
// RLSBENCH_VERBOSE=1 prints every run with the client process's CPU time.
// RLSBENCH_RESET_STATEMENTS=1 resets pg_stat_statements before the timed rounds.
// Usage: [RLSBENCH_OPTIONS=…] dotnet run -c Release --project bench/Eventuali.RlsBench -- ADMIN_URL [rounds]
// ADMIN_URL: postgresql://… of a role that may create roles (scripts/postgres.sh makes eventuali_admin, a superuser).
var adminUrl = args.Length > 0 ? args[0] : "postgresql://eventuali_admin:eventuali@127.0.0.1:54329/eventuali";
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
// Extra URL options for both stores alike, e.g. "Max%20Auto%20Prepare=20" (RLSBENCH_OPTIONS).
var options = Environment.GetEnvironmentVariable("RLSBENCH_OPTIONS") is { Length: > 0 } extra ? "&" + extra : string.Empty;
var analyze = Environment.GetEnvironmentVariable("RLSBENCH_ANALYZE") != "0";
const int Appends = 2_000, BatchSize = 10, Writers = 8, StandardAppends = 200, StandardSize = 50, StreamLength = 100, Loads = 500;

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
        await ConcurrentAsync(noise, "noise");
        await StandardAsync(noise, "noise");
    }

    await using var plain = await EventStore.CreateAsync(adminUrl + (adminUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "schema=" + single + options);
    var workloads = new (string Name, string Unit, Func<IEventStore, string, Task<double>> Run)[]
    {
        ("append-batch 8x10", "events/s", ConcurrentAsync),
        ("append-batch 1x50", "events/s", StandardAsync),
        ("load-aggregate", "loads/s", (store, _) => LoadAggregateAsync(store)),
    };
    if (Environment.GetEnvironmentVariable("RLSBENCH_WORKLOADS") is { Length: > 0 } only)
    {
        workloads = [.. workloads.Where(w => only.Split(',').Any(o => w.Name.Contains(o, StringComparison.Ordinal)))];
    }

    foreach (var store in new[] { plain, rls })
    {
        // The same untimed warm-up for both: one round of each append workload, and the stream the loads read.
        await ConcurrentAsync(store, "warm");
        await StandardAsync(store, "warm");
        await SeedAggregateAsync(store);
    }

    if (analyze)
    {
        await ExecAsync($"ANALYZE \"{schema}\".events, \"{schema}\".streams, \"{schema}\".tenant_usage");
        await ExecAsync($"ANALYZE \"{single}\".events, \"{single}\".streams");
    }

    if (Environment.GetEnvironmentVariable("RLSBENCH_RESET_STATEMENTS") == "1")
    {
        // pg_stat_statements (when the server loads it) then counts the timed rounds only.
        await ExecAsync("SELECT pg_stat_statements_reset()");
    }

    var results = workloads.ToDictionary(w => w.Name, _ => (Single: new List<double>(), Rls: new List<double>()));
    for (var round = 0; round < rounds; round++)
    {
        var order = round % 2 == 0 ? new[] { (false, plain), (true, rls) } : [(true, rls), (false, plain)];
        foreach (var (isRls, store) in order)
        {
            foreach (var (name, _, run) in workloads)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var figure = await run(store, $"r{round}");
                (isRls ? results[name].Rls : results[name].Single).Add(figure);
                if (Environment.GetEnvironmentVariable("RLSBENCH_VERBOSE") == "1")
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round} {(isRls ? "rls" : "single")} {name}: {figure:N0}, client cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:N0} ms"));
                }
            }
        }
    }

    Console.WriteLine($"| workload | single-tenant (median of {rounds}) | tenancy=rls (median of {rounds}) | rls / single (medians) | rls / single (median of rounds) |");
    Console.WriteLine("|---|---|---|---|---|");
    foreach (var (name, unit, _) in workloads)
    {
        var (s, r) = results[name];
        var paired = Median([.. s.Zip(r, (a, b) => b / a)]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {Median(s):N0} {unit} | {Median(r):N0} {unit} | {Median(r) / Median(s):P0} | {paired:P0} |"));
    }
}
finally
{
    NpgsqlConnection.ClearAllPools();

    // RLSBENCH_KEEP=1 keeps both schemas and the roles (printed) for a look at the plans afterwards.
    if (Environment.GetEnvironmentVariable("RLSBENCH_KEEP") == "1")
    {
        Console.WriteLine($"kept: schemas {schema} and {single}, roles {owner} and {app}");
    }
    else
    {
        await ExecAsync($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        await ExecAsync($"DROP SCHEMA IF EXISTS \"{single}\" CASCADE");
        foreach (var role in new[] { app, owner })
        {
            await ExecAsync($"DROP OWNED BY {role} CASCADE");
            await ExecAsync($"DROP ROLE IF EXISTS {role}");
        }
    }
}

// 8 writers taking the next of 2,000 appends of 10 events each, to a new stream each: the store group-commits them.
async Task<double> ConcurrentAsync(IEventStore store, string prefix)
{
    var next = -1;
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
    {
        for (var i = Interlocked.Increment(ref next); i < Appends; i = Interlocked.Increment(ref next))
        {
            await store.AppendAsync($"{prefix}-acct-{i}", ExpectedVersion.NoStream, Events(BatchSize));
        }
    })));
    return Appends * BatchSize / watch.Elapsed.TotalSeconds;
}

// One writer, appends of 50 events one after another, to a new stream each (the shape of eventuali benchmark -w append-batch).
async Task<double> StandardAsync(IEventStore store, string prefix)
{
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < StandardAppends; i++)
    {
        await store.AppendAsync($"{prefix}-std-{i}", ExpectedVersion.NoStream, Events(StandardSize));
    }

    return StandardAppends * StandardSize / watch.Elapsed.TotalSeconds;
}

async Task SeedAggregateAsync(IEventStore store)
{
    await store.AppendAsync("aggregate-1", ExpectedVersion.Any, Events(StreamLength));
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

static List<EventData> Events(int count)
    => [.. Enumerable.Range(0, count).Select(n => new EventData(EventData.NewEventId(), "deposited", "{\"amount\": 10}"u8.ToArray()))];

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
