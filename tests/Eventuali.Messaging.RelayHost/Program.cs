using System.Globalization;
using Eventuali;
using Eventuali.Messaging;
using Eventuali.Messaging.RelayHost;
using Eventuali.Sqlite;

// Usage: relay-host <nats|redis|rabbitmq|kafka> <sqlite-file> <tag> <batch-size> <stop-after-batches | 0>
// Runs a relay of route "orders" (category "order-") from the SQLite file to the broker, on names derived from the
// tag (see Publishers).
// With N > 0 it prints "confirmed <last position>" once the broker confirmed the Nth batch and then holds that batch's
// checkpoint back until the parent kills it (SIGKILL between publish and checkpoint). With 0 it runs until the
// confirmed checkpoint reaches the head, prints "caught-up <published>" and exits 0.
if (args.Length != 5)
{
    await Console.Error.WriteLineAsync("usage: relay-host <nats|redis|rabbitmq|kafka> <sqlite-file> <tag> <batch-size> <stop-after-batches | 0>");
    return 2;
}

var batch = int.Parse(args[3], CultureInfo.InvariantCulture);
var stopAfter = int.Parse(args[4], CultureInfo.InvariantCulture);
using var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
await using var store = await SqliteEventStore.OpenAsync(args[1], EventStoreOptions.Default);
var inner = await Publishers.CreateAsync(args[0], args[2]);
await using var publisher = new GatedPublisher(inner, stopAfter, stdout);
using var stop = new CancellationTokenSource();
var relay = new EventRelay(store, publisher, new RelayRoute("orders") { Category = "order-", BatchSize = batch },
    new RelayOptions { NodeId = "relay-host:" + Environment.ProcessId, LeaseRetryInterval = TimeSpan.FromMilliseconds(100) });
var running = relay.RunAsync(stop.Token);
if (stopAfter > 0)
{
    await running; // never returns: the parent kills this process
    return 1;
}

while (true)
{
    var head = await store.GetHeadPositionAsync();
    if (await RelayStatus.ListAsync(store) is [var status, ..] && status.Position >= head)
    {
        break;
    }

    // Wakes on the interval or when the relay stopped with an error.
    await running.WaitAsync(TimeSpan.FromMilliseconds(50)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    if (running.IsFaulted)
    {
        await Console.Error.WriteLineAsync(running.Exception!.ToString());
        return 1;
    }
}

await stop.CancelAsync();
await running;
await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"caught-up {relay.Published}"));
return 0;
