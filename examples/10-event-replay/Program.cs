// Example 10: event replay on a real SQLite file. A wallet's history is written over four (clock) days;
// then its state is rebuilt as of a version, a time and a global position, a day's events are read by
// time range, and a report is rebuilt by replaying the global log from the start.
using System.Globalization;
using Eventuali;
using Eventuali.Snapshots;
using Eventuali.Typed;
using EventReplay;

var directory = Directory.CreateTempSubdirectory("eventuali-example-10-");
var url = "sqlite://" + Path.Combine(directory.FullName, "wallets.db");
var day1 = new DateTimeOffset(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);
var clock = new ManualClock(day1);
try
{
    var options = new EventStoreOptions { TimeProvider = clock, Types = new EventTypeRegistry().RegisterAssembly(typeof(Wallet).Assembly) };
    await using var store = await EventStore.CreateAsync(url, options);
    Console.WriteLine($"Store: {url}");

    // 1. History: each step is one save, stamped by the clock; the balance after each version is noted.
    var balances = new List<decimal> { 0m };
    var positions = new List<long> { 0 };
    var wallet = Wallet.Open("w-1", "Dana");
    var other = Wallet.Open("w-2", "Eli");
    other.TopUp(30m);
    await store.SaveAsync(other);
    (Action Do, TimeSpan Then)[] steps =
    [
        (() => { }, TimeSpan.FromHours(2)),
        (() => wallet.TopUp(100m), TimeSpan.FromHours(5)),
        (() => wallet.Charge(12.40m, "bakery"), TimeSpan.FromHours(20)),
        (() => wallet.Charge(45m, "bookshop"), TimeSpan.FromHours(3)),
        (() => wallet.TopUp(50m), TimeSpan.FromHours(22)),
        (() => wallet.Charge(80m, "rail"), TimeSpan.FromHours(1)),
        (() => wallet.Charge(7.60m, "cafe"), TimeSpan.FromHours(30)),
    ];
    foreach (var (doIt, then) in steps)
    {
        doIt();
        var r = await store.SaveAsync(wallet);
        balances.Add(wallet.Balance);
        positions.Add(r.LastPosition);
        clock.Advance(then);
    }

    Console.WriteLine("1. The stream, replayed event by event:");
    var stream = AggregateStreams.StreamId<Wallet>("w-1");
    await foreach (var e in store.ReadStreamAsync(stream))
    {
        Console.WriteLine($"   v{e.StreamVersion} pos {e.Position,2}  {e.Timestamp:yyyy-MM-dd HH:mm}  {e.EventType,-16} -> balance {balances[(int)e.StreamVersion],7:N2}");
    }

    // 2. Historical state: as of a version, a time and a position, each checked against the noted balances.
    Console.WriteLine("2. Historical state, rebuilt from the events up to a point:");
    var v3 = await store.LoadAsOfAsync<Wallet>("w-1", AsOf.Version(3)) ?? throw new InvalidOperationException("no state at version 3");
    Check(v3.Version == 3 && v3.Balance == balances[3], $"as of version 3: balance {v3.Balance:N2}, {v3.Charges} charge(s)");

    var noonDay2 = day1.AddDays(1).AddHours(3);
    var atNoon = await store.LoadAsOfAsync<Wallet>("w-1", AsOf.Timestamp(noonDay2)) ?? throw new InvalidOperationException("no state at noon");
    Check(atNoon.Balance == balances[(int)atNoon.Version], $"as of {noonDay2:yyyy-MM-dd HH:mm}: version {atNoon.Version}, balance {atNoon.Balance:N2}");

    var atPosition = await store.LoadAsOfAsync<Wallet>("w-1", AsOf.Position(positions[5]));
    Check(atPosition is { Version: 5 } && atPosition.Balance == balances[5], $"as of global position {positions[5]}: version {atPosition!.Version}, balance {atPosition.Balance:N2}");
    Check(await store.LoadAsOfAsync<Wallet>("w-1", AsOf.Timestamp(day1.AddMinutes(-1))) is null, "as of a minute before the first event: no wallet yet");

    var now = await store.LoadAsync<Wallet>("w-1") ?? throw new InvalidOperationException("wallet missing");
    Check(now.Balance == wallet.Balance && now.Version == 7, $"today: version {now.Version}, balance {now.Balance:N2}");

    // 3. A day's events by time range: day 2, midnight to midnight.
    var day2 = day1.Date.AddDays(1);
    var day2Start = new DateTimeOffset(day2, TimeSpan.Zero);
    var count = 0;
    Console.WriteLine($"3. Events of {day2:yyyy-MM-dd}:");
    await foreach (var e in store.ReadStreamBetweenAsync(stream, day2Start, day2Start.AddDays(1)))
    {
        Check(e.Timestamp >= day2Start && e.Timestamp < day2Start.AddDays(1), $"v{e.StreamVersion} {e.EventType} at {e.Timestamp:HH:mm}");
        count++;
    }

    Check(count > 0, $"{count} event(s) on {day2:yyyy-MM-dd}");

    // 4. Replay the global log from the start into a fresh report (what a rebuilt read model does).
    Console.WriteLine("4. A report rebuilt by replaying the global log:");
    var charged = new Dictionary<string, decimal>(StringComparer.Ordinal);
    var seen = 0;
    await foreach (var e in store.ReadAllAsync())
    {
        seen++;
        if (options.Types.Deserialize(e) is WalletCharged c)
        {
            charged[e.StreamId] = charged.GetValueOrDefault(e.StreamId) + c.Amount;
        }
    }

    Check(charged.GetValueOrDefault(stream) == 12.40m + 45m + 80m + 7.60m, $"global replay of {seen} events: {stream} was charged {charged[stream].ToString("N2", CultureInfo.InvariantCulture)} in total");
    Console.WriteLine("Example 10 finished: every replayed state matched the history.");
    return 0;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"Example 10 FAILED: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
finally
{
    directory.Delete(recursive: true);
    Console.WriteLine($"(deleted {directory.FullName})");
}

static void Check(bool ok, string what)
{
    if (!ok)
    {
        throw new InvalidOperationException("not as expected: " + what);
    }

    Console.WriteLine("   " + what);
}
