// Example 07: saga patterns on a real SQLite file — a timeout that expires an unpaid hold (real time, short),
// compensation when the store refuses a saga's append, and idempotent re-delivery (deterministic event ids).
using Eventuali;
using Eventuali.Sagas;
using Eventuali.Typed;
using SagaPatterns;

var directory = Directory.CreateTempSubdirectory("eventuali-example-07-");
var url = "sqlite://" + Path.Combine(directory.FullName, "bookings.db");
try
{
    var options = new EventStoreOptions { Types = new EventTypeRegistry().RegisterAssembly(typeof(SeatBooking).Assembly) };
    await using var store = await EventStore.CreateAsync(url, options);
    var sagas = store.GetSagaStore();
    Console.WriteLine($"Store: {url}");
    var holdFor = TimeSpan.FromMilliseconds(300); // b3's hold; b1 and b2 ask for a minute

    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
    using var runner = new SagaRunner<BookingState>(store, SeatBooking.Saga());
    var running = runner.RunAsync(stop.Token);

    // 1. Booking b1 holds seat 12A and is paid; b2 wants the same seat; b3 holds 14C and never pays.
    await AppendAsync(store, "booking-b1", new BookingRequested("b1", "12A", 60_000));
    await WaitForAsync(() => Status("b1"), "held");
    await AppendAsync(store, "booking-b2", new BookingRequested("b2", "12A", 60_000));
    await AppendAsync(store, "booking-b1", new PaymentReceived("b1", 49m));
    var requested3 = await AppendAsync(store, "booking-b3", new BookingRequested("b3", "14C", (int)holdFor.TotalMilliseconds));
    Console.WriteLine($"Requested b1 (12A, then paid), b2 (12A again) and b3 (14C held {holdFor.TotalMilliseconds} ms, never paid).");

    await WaitForAsync(() => Status("b1"), "confirmed");
    await WaitForAsync(() => Status("b2"), "rejected");
    await WaitForAsync(() => Status("b3"), "expired");
    foreach (var id in new[] { "b1", "b2", "b3" })
    {
        var last = await LastAsync(store, "booking-" + id);
        Console.WriteLine($"  {id}: {store.Options.Types.Deserialize(last)}");
    }

    // 2. The timeout: fired by the runner's clock, once; the expiry event's timestamp shows when.
    var expired = await LastAsync(store, "booking-b3");
    var waited = expired.Timestamp - (await LastAsync(store, "booking-b3", requested3.StreamVersion)).Timestamp;
    Console.WriteLine($"Timeout: b3 expired {waited.TotalMilliseconds:0} ms after it was requested (hold {holdFor.TotalMilliseconds} ms); timeouts fired: {runner.FiredTimeouts}.");
    Check(waited >= holdFor && runner.FiredTimeouts == 1, "the hold expired once, not before it was due");
    Check(await sagas.GetNextTimeoutDueAsync(SeatBooking.Name) is null, "no timeout is left (b1's was cancelled by its payment, b2's by its rejection)");

    // 3. Compensation: the store refused b2's SeatHeld (seat-12A already exists), the failure handler rejected b2.
    Check(runner.Compensations == 1 && await store.GetStreamVersionAsync("seat-12A") == 1, "b2's hold was refused by the store and compensated; seat 12A holds b1 only");

    // 4. Re-delivery: handing b1's request to the saga again appends nothing, and a second runner replaying
    //    the whole log under a new checkpoint recognises every event as handled.
    var before = await store.GetHeadPositionAsync();
    var b1Request = await FirstAsync(store, "booking-b1");
    Check(!await runner.HandleAsync(b1Request), "b1's request handed over again is recognised as handled");
    await stop.CancelAsync();
    await running.ContinueWith(_ => { }, TaskScheduler.Default);

    using var replay = new SagaRunner<BookingState>(store, SeatBooking.Saga(), new SagaRunnerOptions { CheckpointName = "seat-booking-replay" });
    using var stopReplay = new CancellationTokenSource(TimeSpan.FromSeconds(30));
    var replaying = replay.RunAsync(stopReplay.Token);
    await replay.WaitForPositionAsync(before, stopReplay.Token);
    await stopReplay.CancelAsync();
    await replaying.ContinueWith(_ => { }, TaskScheduler.Default);
    Console.WriteLine($"Replay of {before} events by a fresh runner: handled {replay.HandledEvents}, head position {await store.GetHeadPositionAsync()} (was {before}).");
    Check(replay.HandledEvents == 0 && await store.GetHeadPositionAsync() == before, "replaying the log appended nothing");

    // 5. Why a retried append is harmless: the ids are derived, not random.
    var held = await FirstAsync(store, "seat-12A");
    Console.WriteLine($"SeatHeld id {held.EventId} = DeterministicId.ForSaga(\"{SeatBooking.Name}\", {b1Request.EventId}, 0): {held.EventId == DeterministicId.ForSaga(SeatBooking.Name, b1Request.EventId, 0)}");
    Check(held.EventId == DeterministicId.ForSaga(SeatBooking.Name, b1Request.EventId, 0), "the saga's event id is derived from its trigger");

    Console.WriteLine("Example 07 finished: every step behaved as described.");
    return 0;

    async Task<string?> Status(string id)
        => (await sagas.LoadSagaAsync(SeatBooking.Name, id)) is { } r && (r.Completed || r.Outbox is null)
            ? System.Text.Json.JsonDocument.Parse(r.State).RootElement.GetProperty("status").GetString()
            : null;

    async Task WaitForAsync(Func<Task<string?>> status, string expected)
    {
        while (await status() != expected)
        {
            if (running.IsFaulted)
            {
                await running;
            }

            await Task.WhenAny(runner.WaitForProgressAsync(stop.Token), Task.Delay(25, stop.Token));
        }
    }
}
catch (Exception ex)
{
    Console.Error.WriteLine($"Example 07 FAILED: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
finally
{
    directory.Delete(recursive: true);
    Console.WriteLine($"(deleted {directory.FullName})");
}

static async Task<AppendResult> AppendAsync(IEventStore store, string stream, object e)
    => await store.AppendAsync(stream, ExpectedVersion.Any, [store.Options.Types.ToEventData(e)]);

static async Task<RecordedEvent> FirstAsync(IEventStore store, string stream)
{
    await foreach (var e in store.ReadStreamAsync(stream, maxCount: 1))
    {
        return e;
    }

    throw new InvalidOperationException($"stream {stream} is empty");
}

static async Task<RecordedEvent> LastAsync(IEventStore store, string stream, long from = StreamVersion.End)
{
    await foreach (var e in store.ReadStreamAsync(stream, from, 1, ReadDirection.Backward))
    {
        return e;
    }

    throw new InvalidOperationException($"stream {stream} is empty");
}

static void Check(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException("check failed: " + what);
    }

    Console.WriteLine("  ok: " + what);
}
