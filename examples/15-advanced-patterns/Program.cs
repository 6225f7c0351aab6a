// Example 15: snapshots and temporal queries on a real SQLite file. A meter with 5,000 readings is
// snapshotted every 500 events (LZ4, keep 3); loads from a snapshot are compared with full replays
// (state and measured time); a changed state shape and a corrupted snapshot fall back to events; a
// load as of a past time uses only a snapshot from before that time; background snapshots are flushed.
using System.Diagnostics;
using AdvancedPatterns;
using Eventuali;
using Eventuali.Snapshots;
using Eventuali.Typed;

var directory = Directory.CreateTempSubdirectory("eventuali-example-15-");
var url = "sqlite://" + Path.Combine(directory.FullName, "meters.db");
var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
var clock = new ManualClock(start);
var issues = new List<SnapshotIssue>();
try
{
    var types = new EventTypeRegistry().RegisterAssembly(typeof(Meter).Assembly);
    var snapshots = new SnapshotOptions { OnIssue = issues.Add }
        .For<Meter>(SnapshotPolicy.Every(500) with { Codec = SnapshotCodec.Lz4, KeepLast = 3 });
    var options = new EventStoreOptions { TimeProvider = clock, Types = types, Snapshots = snapshots, Durability = Durability.Relaxed };
    await using var store = await EventStore.CreateAsync(url, options);
    var snapshotStore = store.GetFeature<ISnapshotStore>()!;
    Console.WriteLine($"Store: {url}");

    // 1. 5,000 readings, an hour apart, saved 50 at a time; the policy snapshots as the saves pass each 500.
    var meter = Meter.Install("m-7", "Harbour Road substation");
    for (var i = 1; i < 5000; i++)
    {
        meter.Read(100 + (i * 37 % 250), i % 3 == 0 ? "ana" : i % 3 == 1 ? "ben" : "chloe");
        clock.Advance(TimeSpan.FromHours(1));
        if (i % 50 == 0)
        {
            await store.SaveAsync(meter);
        }
    }

    meter.Read(42, "ana");
    await store.SaveAsync(meter);
    var stream = AggregateStreams.StreamId<Meter>("m-7");
    Console.WriteLine($"1. {stream} has {meter.Version} events; snapshots kept (policy: every 500, LZ4, keep 3):");
    await foreach (var s in snapshotStore.ListSnapshotsAsync(stream))
    {
        Console.WriteLine($"   version {s.Version} at position {s.Position}: {s.StoredBytes} bytes {s.Codec}, schema {s.SchemaVersion}");
    }

    // 2. Snapshot + tail against a full replay: same state, measured time of each.
    var fullReplayOnly = new EventsOnly(store);
    _ = await store.LoadAsync<Meter>("m-7");
    _ = await fullReplayOnly.LoadAsync<Meter>("m-7");
    var t0 = Stopwatch.GetTimestamp();
    var fast = await store.LoadWithReportAsync<Meter>("m-7");
    var fastMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    t0 = Stopwatch.GetTimestamp();
    var slow = await fullReplayOnly.LoadWithReportAsync<Meter>("m-7");
    var slowMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    Check(fast.Aggregate.Summary == slow.Aggregate.Summary && fast.Aggregate.Version == slow.Aggregate.Version, $"2. {fast.Aggregate.Summary}");
    Check(fast.SnapshotVersion == 5001 && slow.SnapshotVersion is null, $"   from snapshot {fast.SnapshotVersion} + {fast.EventsReplayed} events: {fastMs:N2} ms; full replay of {slow.EventsReplayed} events: {slowMs:N2} ms (this run)");

    // 3. A new shape of the state: the old snapshots are ignored, the load replays events.
    var v2 = await store.LoadWithReportAsync<MeterV2>("m-7");
    Check(v2.SnapshotVersion is null && v2.Aggregate.TotalKwh == meter.TotalKwh && v2.Issues.All(i => i.Kind == SnapshotIssueKind.SchemaVersionMismatch),
        $"3. MeterV2 (schema 2) ignored {v2.Issues.Count} schema-1 snapshot(s) and replayed {v2.EventsReplayed} events: {v2.Aggregate.TotalKwh} kWh");

    // 4. Damage the newest snapshot's bytes: it is reported and skipped, the next older one is used.
    issues.Clear();
    var newest = await snapshotStore.ReadSnapshotAsync(stream) ?? throw new InvalidOperationException("no snapshot");
    var bytes = newest.Data.ToArray();
    bytes[bytes.Length / 2] ^= 0xFF;
    await snapshotStore.WriteSnapshotAsync(newest with { Data = bytes });
    var afterDamage = await store.LoadWithReportAsync<Meter>("m-7");
    Check(afterDamage.Aggregate.Summary == slow.Aggregate.Summary && afterDamage.SnapshotVersion == 4501 && issues.Count == 1 && issues[0].IsCorruption,
        $"4. corrupt snapshot {newest.Version} reported ({issues[0].Kind}); loaded from snapshot {afterDamage.SnapshotVersion} + {afterDamage.EventsReplayed} events, same state");
    await store.TakeSnapshotAsync(afterDamage.Aggregate, SnapshotCodec.Zstd);

    // 5. Temporal query: as of a past time, only a snapshot from before that point is used.
    foreach (var when in new[] { start.AddHours(4700.5), start.AddHours(3210.5) })
    {
        var past = await store.LoadWithReportAsync<Meter>("m-7", AsOf.Timestamp(when));
        var pastReplay = await fullReplayOnly.LoadWithReportAsync<Meter>("m-7", AsOf.Timestamp(when));
        Check(past.Aggregate.Summary == pastReplay.Aggregate.Summary && (past.SnapshotVersion ?? 0) <= past.Aggregate.Version,
            $"5. as of {when:yyyy-MM-dd HH:mm}: version {past.Aggregate.Version}, {past.Aggregate.TotalKwh} kWh, same as a replay (snapshot used: {past.SnapshotVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none, every kept one is newer"})");
    }

    // 6. Background snapshots: the save returns first, the snapshot follows; flushing waits for it.
    var background = new EventStoreOptions
    {
        TimeProvider = clock,
        Types = types,
        Durability = Durability.Relaxed,
        Snapshots = new SnapshotOptions { OnIssue = issues.Add }.For<Meter>(SnapshotPolicy.Every(100) with { Timing = SnapshotTiming.Background, Codec = SnapshotCodec.Zstd }),
    };
    await using (var bgStore = await EventStore.CreateAsync(url, background))
    {
        var m = Meter.Install("m-8", "Quay pumping station");
        for (var i = 0; i < 250; i++)
        {
            m.Read(10 + i, "ben");
            await bgStore.SaveAsync(m);
        }

        await bgStore.FlushSnapshotsAsync();
        var kept = new List<long>();
        await foreach (var s in bgStore.GetFeature<ISnapshotStore>()!.ListSnapshotsAsync(AggregateStreams.StreamId<Meter>("m-8")))
        {
            kept.Add(s.Version);
        }

        Check(kept.SequenceEqual([200L, 100L]), $"6. background snapshots of meter-m-8 after flushing: versions {string.Join(", ", kept)}");
    }

    Console.WriteLine("Example 15 finished: every snapshot path gave the state a replay gives.");
    return 0;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"Example 15 FAILED: {ex.GetType().Name}: {ex.Message}");
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

    Console.WriteLine(what);
}

/// <summary>Shows the store as a plain event store (no snapshots), for comparison with full replays.</summary>
internal sealed class EventsOnly(IEventStore inner) : IEventStore
{
    public EventStoreOptions Options => inner.Options;

    public ValueTask<AppendResult> AppendAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
        => inner.AppendAsync(streamId, expectedVersion, events, cancellationToken);

    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long fromVersion = StreamVersion.Start, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward, CancellationToken cancellationToken = default)
        => inner.ReadStreamAsync(streamId, fromVersion, maxCount, direction, cancellationToken);

    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(long fromPosition = 1, int maxCount = int.MaxValue, EventFilter? filter = null, CancellationToken cancellationToken = default)
        => inner.ReadAllAsync(fromPosition, maxCount, filter, cancellationToken);

    public ValueTask<long?> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default) => inner.GetStreamVersionAsync(streamId, cancellationToken);

    public ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) => inner.GetHeadPositionAsync(cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
