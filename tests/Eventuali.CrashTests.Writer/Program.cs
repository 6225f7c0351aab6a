using Eventuali;
using Eventuali.CrashTests.Writer;

// Usage: writer <store-url> <run-guid> <streams> <batch> <first-append> [<count>]
// Appends in a loop and prints "ack <append> <version> <position>" only after each append returned.
// The parent kills it with SIGKILL at arbitrary moments.
var url = args[0];
var plan = new CrashPlan(Guid.Parse(args[1]), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
var first = long.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture);
var count = args.Length > 5 ? long.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture) : long.MaxValue;
var options = new EventStoreOptions { Durability = Durability.Full };
await using var store = await EventStore.CreateAsync(url, options);
using var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
await stdout.WriteLineAsync("ready");
for (var a = first; a < first + count; a++)
{
    var result = await store.AppendAsync(plan.StreamOf(a), ExpectedVersion.Exact(plan.ExpectedVersionOf(a)), plan.Events(a));
    await stdout.WriteLineAsync($"ack {a} {result.StreamVersion} {result.LastPosition}");
}

return 0;
