using System.Globalization;
using Eventuali;
using Eventuali.ServerBench;
using static Eventuali.ServerBench.Stats;

// The HTTP server against the in-process API on the same store, in the same run:
//   Eventuali.ServerBench [--quick] [--stores sqlite,postgres] [--runs N] [--writers N] [--batches N]
//                         [--sse-events N] [--live-events N] [--clients N] [--fanout-events N]
//   a. appends of 50-event batches: N HTTP writers against N in-process writers, alternated, medians of the runs;
//   b. one SSE client: catch-up over a pre-filled log (bulk import), then live;
//   c. many SSE clients (1,000) while a writer appends: every client gets every event; server memory sampled.
// The server is this program started again as a child ("serve URL") so its memory figures are its own.
// PostgreSQL is EVENTUALI_TEST_POSTGRES (default: scripts/postgres.sh's URL), schema "serverbench", dropped first.
// --quick: a smoke run of seconds; it fails only on an error or a client that misses events.
// SERVERBENCH_SHARED_TAIL=0: SSE connections do not share a live subscription (EventualiServerOptions.SseSharedTail).
if (args is ["serve", var serveUrl])
{
    return await BenchServer.RunAsync(serveUrl);
}

var quick = args.Contains("--quick");
string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

int Int(string name, int full, int smoke)
{
    var text = Arg(name, (quick ? smoke : full).ToString(CultureInfo.InvariantCulture));
    return int.TryParse(text, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{name} takes a positive whole number, not '{text}'.");
}

var known = new[] { "--quick", "--stores", "--runs", "--writers", "--batches", "--sse-events", "--live-events", "--clients", "--fanout-events" };
if (args.Where((a, i) => a.StartsWith("--", StringComparison.Ordinal) && !known.Contains(a)).FirstOrDefault() is { } unknown)
{
    Console.Error.WriteLine($"unknown option {unknown}; options: {string.Join(' ', known)}");
    return 2;
}

var stores = Arg("--stores", "sqlite,postgres").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
if (stores.FirstOrDefault(s => s is not ("sqlite" or "postgres")) is { } badStore)
{
    Console.Error.WriteLine($"--stores takes sqlite and/or postgres, not '{badStore}'");
    return 2;
}

var runs = Int("--runs", 5, 1);
var writers = Int("--writers", 8, 4);
var batches = Int("--batches", 40, 5);
var sseEvents = Int("--sse-events", 1_000_000, 20_000);
var liveEvents = Int("--live-events", 50_000, 2_000);
var clients = Int("--clients", 1_000, 1_000);
var fanoutEvents = Int("--fanout-events", 10_000, 200);

// Each client is a socket here and one in the server process (.NET raises the soft limit to the hard one at start).
var descriptors = OpenFileLimit();
if (descriptors < clients + 256)
{
    var fitting = Math.Max(1, (int)descriptors - 256);
    Console.WriteLine(F($"the open-file limit is {descriptors}: {fitting:N0} SSE clients instead of {clients:N0} (raise it with ulimit -n)"));
    clients = fitting;
}
Console.WriteLine(F($"server bench{(quick ? " (quick)" : "")}: {Environment.ProcessorCount} cores, load average {LoadAverage()}, {writers} writers x {batches} batches of {Workload.BatchSize} per round, {runs} rounds, open-file limit {descriptors}"));

var appends = new List<AppendBench.Result>();
var sse = new List<SseBench.Result>();
var fanout = new List<FanoutBench.Result>();
foreach (var name in stores)
{
    DirectoryInfo? directory = null;
    string url;
    if (name == "sqlite")
    {
        (url, directory) = FreshSqlite();
    }
    else
    {
        url = await FreshPostgresAsync();
    }

    try
    {
        Console.WriteLine($"\n{name}");
        await using var server = await ServerProcess.StartAsync(url);
        await using var store = await EventStore.CreateAsync(url);
        appends.Add(await AppendBench.RunAsync(name, store, server, writers, batches, runs));
        sse.Add(await SseBench.RunAsync(name, store, server, sseEvents, quick ? 1 : 3, liveEvents, writers));
        fanout.Add(await FanoutBench.RunAsync(name, server, clients, fanoutEvents));
    }
    finally
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        directory?.Delete(recursive: true);
    }
}

Report.Print(appends, sse, fanout, runs, writers);
return 0;

static long OpenFileLimit()
{
    try
    {
        var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var soft = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];
        return soft is null or "unlimited" ? long.MaxValue : long.Parse(soft, CultureInfo.InvariantCulture);
    }
    catch (IOException)
    {
        return long.MaxValue;
    }
}
