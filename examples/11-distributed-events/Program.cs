// Example 11: three worker processes share a partitioned projection on one SQLite file. One is killed with SIGKILL
// mid-run; the others take over its partitions, and the per-partition counts show every event projected once.
// Every figure printed is read back from the store or measured in this run.
using System.Diagnostics;
using System.Text.Json.Nodes;
using DistributedEvents;
using Eventuali;
using Eventuali.Projections;

if (args is ["worker", var workerUrl, var node])
{
    return await Worker.RunAsync(workerUrl, node);
}

var directory = Directory.CreateTempSubdirectory("eventuali-example-11-");
var url = "sqlite://" + Path.Combine(directory.FullName, "orders.db");
var workers = new List<Process>();
var exit = 0;
try
{
    await using var store = await EventStore.CreateAsync(url, EventStoreOptions.Default);
    Console.WriteLine($"Store: {url}");
    await AppendAsync(store, 0, 1500);

    var clock = Stopwatch.StartNew();
    foreach (var name in new[] { "node-1", "node-2", "node-3" })
    {
        workers.Add(Worker.Start(url, name));
    }

    // The three nodes share the six partitions, two each, once they all see each other.
    await WaitAsync(async () => (await OwnersAsync(store)).Values.Distinct().Count() == 3, "every node runs partitions", TimeSpan.FromSeconds(60));
    Console.WriteLine($"Three nodes share {OrderTotals.PartitionCount} partitions after {clock.ElapsedMilliseconds} ms: {Describe(await OwnersAsync(store))}");

    // Kill node-2 with SIGKILL while events keep coming: its leases expire and the others take its partitions.
    var writing = AppendAsync(store, 1500, 3000);
    await WaitAsync(async () => await store.GetHeadPositionAsync() >= 2000, "the writer is under way", TimeSpan.FromSeconds(60));
    var victim = workers[1];
    victim.Kill();
    await victim.WaitForExitAsync();
    clock.Restart();
    Console.WriteLine("Killed node-2 (SIGKILL) mid-run.");
    await writing;
    await WaitAsync(async () => await OwnersAsync(store) is { Count: OrderTotals.PartitionCount } owners && owners.Values.All(o => o is "node-1" or "node-3"), "the survivors run every partition", TimeSpan.FromSeconds(60));
    Console.WriteLine($"node-1 and node-3 took over node-2's partitions {clock.ElapsedMilliseconds} ms after the kill: {Describe(await OwnersAsync(store))}");

    var head = await store.GetHeadPositionAsync();
    await WaitAsync(async () => (await store.GetProjectionStatusesAsync()).Where(IsPartition).All(s => s.Position >= head), "every partition caught up", TimeSpan.FromSeconds(120));
    exit = await ReportAsync(store);
}
finally
{
    foreach (var w in workers)
    {
        if (!w.HasExited)
        {
            w.StandardInput.Close();
            if (!w.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                w.Kill();
            }
        }

        w.Dispose();
    }

    directory.Delete(recursive: true);
}

return exit;

// Per partition: events in the log for its streams against events the read model counted. Equal everywhere: each
// event was projected exactly once in effect, although a node died with a batch possibly in flight.
static async Task<int> ReportAsync(IEventStore store)
{
    var inLog = new int[OrderTotals.PartitionCount];
    await foreach (var e in store.ReadAllAsync(0, int.MaxValue))
    {
        inLog[ProjectionPartitions.Of(e.StreamId, OrderTotals.PartitionCount)]++;
    }

    var projected = new int[OrderTotals.PartitionCount];
    await foreach (var d in store.GetProjectionStore().ReadProjectionDocumentsAsync(OrderTotals.ProjectionName))
    {
        projected[ProjectionPartitions.Of(d.Key, OrderTotals.PartitionCount)] += JsonNode.Parse(d.Json)!["events"]!.GetValue<int>();
    }

    var owners = await OwnersAsync(store);
    Console.WriteLine();
    Console.WriteLine("partition  owner   events in log  events projected");
    var mismatches = 0;
    for (var p = 0; p < OrderTotals.PartitionCount; p++)
    {
        Console.WriteLine($"{p,9}  {owners.GetValueOrDefault(p, "-"),-6}  {inLog[p],13}  {projected[p],16}{(inLog[p] == projected[p] ? "" : "  MISMATCH")}");
        mismatches += inLog[p] == projected[p] ? 0 : 1;
    }

    Console.WriteLine($"total      {"",-6}  {inLog.Sum(),13}  {projected.Sum(),16}");
    Console.WriteLine(mismatches == 0 ? "Every event was projected exactly once." : $"{mismatches} partition(s) do not match.");
    return mismatches == 0 ? 0 : 1;
}

static async Task AppendAsync(IEventStore store, int from, int to)
{
    for (var i = from; i < to; i += 10)
    {
        var appends = Enumerable.Range(i, 10).Select(n => store.AppendAsync($"order-{n % 48}", ExpectedVersion.Any, [EventData.Json("item-added", $$"""{"qty":{{n % 5 + 1}}}""")]).AsTask());
        await Task.WhenAll(appends);
    }
}

static bool IsPartition(ProjectionStatus s) => ProjectionPartitions.PartitionOf(s.Name) is not null;

static async Task<Dictionary<int, string>> OwnersAsync(IEventStore store)
    => (await store.GetProjectionStatusesAsync()).Where(s => IsPartition(s) && s.Owner is not null)
        .ToDictionary(s => ProjectionPartitions.PartitionOf(s.Name)!.Value, s => s.Owner!);

static string Describe(Dictionary<int, string> owners)
    => string.Join("; ", owners.GroupBy(o => o.Value).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} runs [{string.Join(",", g.Select(o => o.Key).Order())}]"));

static async Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan timeout)
{
    var clock = Stopwatch.StartNew();
    while (!await condition())
    {
        if (clock.Elapsed > timeout)
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting until {what}.");
        }

        await Task.Delay(50);
    }
}
