using Eventuali;
using Eventuali.CrashTests.Writer;

// Usage: writer <store-url> <run-guid> <streams> <batch> <first-append> [<count>]
//        writer <store-url> <run-guid> <streams> <batch> <first-of-lane-0>,<first-of-lane-1>,... [<count-per-lane>]
// Appends in a loop and prints "ack <append> <version> <position>" only after each append returned.
// With one first append per stream (a lane: the appends of that stream, in order), every lane appends at once,
// so concurrent appends share group-commit transactions. The parent kills it with SIGKILL at arbitrary moments.
var url = args[0];
var plan = new CrashPlan(Guid.Parse(args[1]), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
var firsts = args[4].Split(',').Select(f => long.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
var count = args.Length > 5 ? long.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture) : long.MaxValue;
var options = new EventStoreOptions { Durability = Durability.Full };
await using var store = await EventStore.CreateAsync(url, options);
using var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
var gate = new SemaphoreSlim(1);
await stdout.WriteLineAsync("ready");

async Task AckAsync(long a, AppendResult result)
{
    await gate.WaitAsync();
    try
    {
        await stdout.WriteLineAsync($"ack {a} {result.StreamVersion} {result.LastPosition}");
    }
    finally
    {
        gate.Release();
    }
}

// One first append: every append in turn. One per stream: each lane steps through its own stream's appends.
var step = firsts.Length == 1 ? 1 : plan.Streams;
await Task.WhenAll(firsts.Select(first => Task.Run(async () =>
{
    for (long a = first, n = 0; n < count; a += step, n++)
    {
        await AckAsync(a, await store.AppendAsync(plan.StreamOf(a), ExpectedVersion.Exact(plan.ExpectedVersionOf(a)), plan.Events(a)));
    }
})));
return 0;
