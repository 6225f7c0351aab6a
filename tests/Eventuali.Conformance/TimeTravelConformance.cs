using Eventuali.Snapshots;
using Eventuali.Typed;
using Microsoft.Extensions.Time.Testing;

namespace Eventuali.Conformance;

/// <summary>Loads as of a version, a time or a global position, time-range reads, and the snapshot-versus-replay property.</summary>
public abstract class TimeTravelConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static EventStoreOptions Options(TimeProvider clock, SnapshotPolicy? policy = null)
    {
        var snapshots = new SnapshotOptions { OnIssue = _ => { } };
        if (policy is not null)
        {
            snapshots.For<Ledger>(policy);
        }

        return new EventStoreOptions { TimeProvider = clock, Snapshots = snapshots };
    }

    /// <summary>One event per save, one minute apart; returns each version's state key and position.</summary>
    private static async Task<(List<string> States, List<long> Positions)> WriteMinuteByMinuteAsync(IEventStore store, FakeTimeProvider clock, string id, int events)
    {
        var states = new List<string> { string.Empty };
        var positions = new List<long> { 0 };
        var ledger = Ledger.Open(id, "o");
        for (var v = 1; v <= events; v++)
        {
            if (v > 1)
            {
                ledger.Credit(v, "m" + v);
            }

            var r = await store.SaveAsync(ledger, cancellationToken: TestContext.Current.CancellationToken);
            states.Add(ledger.StateKey);
            positions.Add(r.LastPosition);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        return (states, positions);
    }

    [Fact]
    public async Task Loads_as_of_a_version_a_time_and_a_position_use_no_snapshot_newer_than_the_point()
    {
        var clock = new FakeTimeProvider(Start);
        await using var store = await NewStoreAsync(Options(clock, SnapshotPolicy.Every(4)));
        var (states, positions) = await WriteMinuteByMinuteAsync(store, clock, "tt", 10);

        for (var v = 1; v <= 10; v++)
        {
            var byVersion = await store.LoadWithReportAsync<Ledger>("tt", AsOf.Version(v), Ct);
            Assert.Equal(states[v], byVersion.Aggregate.StateKey);
            Assert.True(byVersion.SnapshotVersion is null || byVersion.SnapshotVersion <= v);
            Assert.Equal(v >= 4 ? v / 4 * 4 : null, byVersion.SnapshotVersion);

            // Event v was stamped at Start + (v-1) minutes; half a minute later is still version v.
            var byTime = await store.LoadWithReportAsync<Ledger>("tt", AsOf.Timestamp(Start.AddMinutes(v - 0.5)), Ct);
            Assert.Equal(states[v], byTime.Aggregate.StateKey);
            Assert.True(byTime.SnapshotVersion is null || byTime.SnapshotVersion <= v);

            var byPosition = await store.LoadAsOfAsync<Ledger>("tt", AsOf.Position(positions[v]), Ct);
            Assert.Equal(states[v], byPosition!.StateKey);
        }

        Assert.Null(await store.LoadAsOfAsync<Ledger>("tt", AsOf.Timestamp(Start.AddSeconds(-1)), Ct));
        Assert.Null(await store.LoadAsOfAsync<Ledger>("tt", AsOf.Version(0), Ct));
        Assert.Null(await store.LoadAsOfAsync<Ledger>("tt", AsOf.Position(positions[1] - 1), Ct));
        Assert.Equal(states[10], (await store.LoadAsOfAsync<Ledger>("tt", AsOf.Version(99), Ct))!.StateKey);
        Assert.Equal(states[10], (await store.LoadAsOfAsync<Ledger>("tt", AsOf.Timestamp(Start.AddDays(1)), Ct))!.StateKey);
        Assert.Equal(7, await store.GetVersionAtAsync(AggregateStreams.StreamId<Ledger>("tt"), AsOf.Timestamp(Start.AddMinutes(6)), Ct));
        Assert.Equal(10, await store.GetVersionAtAsync(AggregateStreams.StreamId<Ledger>("tt"), AsOf.Latest, Ct));
        Assert.Throws<ArgumentOutOfRangeException>(() => AsOf.Version(-1));
    }

    [Fact]
    public async Task A_time_range_read_returns_the_events_stamped_inside_it()
    {
        var clock = new FakeTimeProvider(Start);
        await using var store = await NewStoreAsync(Options(clock));
        await WriteMinuteByMinuteAsync(store, clock, "range", 10);
        var stream = AggregateStreams.StreamId<Ledger>("range");

        var inside = await ListAsync(store.ReadStreamBetweenAsync(stream, Start.AddMinutes(3), Start.AddMinutes(6), Ct));
        Assert.Equal([4L, 5L, 6L], inside.Select(e => e.StreamVersion));
        Assert.All(inside, e => Assert.InRange(e.Timestamp, Start.AddMinutes(3), Start.AddMinutes(6).AddTicks(-1)));
        Assert.Equal(10, (await ListAsync(store.ReadStreamBetweenAsync(stream, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, Ct))).Count);
        Assert.Empty(await ListAsync(store.ReadStreamBetweenAsync(stream, Start.AddMinutes(30), Start.AddMinutes(40), Ct)));
        Assert.Empty(await ListAsync(store.ReadStreamBetweenAsync("no-such-stream", Start, Start.AddDays(1), Ct)));
        Assert.Throws<ArgumentException>(() => store.ReadStreamBetweenAsync(stream, Start.AddMinutes(5), Start, Ct));

        // A store without a timeline index answers the same by reading the stream.
        var plain = new EventsOnlyStore(store);
        Assert.Equal([4L, 5L, 6L], (await ListAsync(plain.ReadStreamBetweenAsync(stream, Start.AddMinutes(3), Start.AddMinutes(6), Ct))).Select(e => e.StreamVersion));
    }

    [Fact]
    public async Task Snapshot_plus_tail_loads_equal_full_replays_over_random_event_sequences()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("EVENTUALI_PROPERTY_SEED"), out var given) ? given : Environment.TickCount;
        try
        {
            await RunPropertyAsync(seed);
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"Property failed with seed {seed} (rerun with EVENTUALI_PROPERTY_SEED={seed} to reproduce): {ex.Message}", ex);
        }
    }

    private async Task RunPropertyAsync(int seed)
    {
        var random = new Random(seed);
        var clock = new FakeTimeProvider(Start);
        var codec = (SnapshotCodec)random.Next(3);
        await using var store = await NewStoreAsync(Options(clock, SnapshotPolicy.Every(random.Next(1, 15)) with { Codec = codec }));
        var replay = new EventsOnlyStore(store);
        for (var stream = 0; stream < 4; stream++)
        {
            var id = $"p{stream}";
            var ledger = Ledger.Open(id, "owner");
            var events = random.Next(1, 80);
            for (var i = 1; i < events; i++)
            {
                switch (random.Next(4))
                {
                    case 0: ledger.Debit(random.Next(1, 500), "d" + i); break;
                    case 1: ledger.Rename("n" + random.Next(1000)); break;
                    default: ledger.Credit(random.Next(1, 900), "c" + i); break;
                }

                if (random.Next(3) == 0)
                {
                    await store.SaveAsync(ledger, cancellationToken: Ct);
                    clock.Advance(TimeSpan.FromSeconds(random.Next(1, 90)));
                }

                // Snapshots by hand at random points too, some of them corrupt.
                if (random.Next(10) == 0 && ledger.UncommittedEvents.Count == 0)
                {
                    await store.TakeSnapshotAsync(ledger, (SnapshotCodec)random.Next(3), Ct);
                }
            }

            await store.SaveAsync(ledger, cancellationToken: Ct);
            if (random.Next(3) == 0 && await store.GetFeature<ISnapshotStore>()!.ReadSnapshotAsync(AggregateStreams.StreamId<Ledger>(id), cancellationToken: Ct) is { } s)
            {
                var bytes = s.Data.ToArray();
                bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
                await store.GetFeature<ISnapshotStore>()!.WriteSnapshotAsync(s with { Data = bytes }, Ct);
            }

            for (var check = 0; check < 6; check++)
            {
                var asOf = check == 0 ? AsOf.Latest : AsOf.Version(random.Next(0, (int)ledger.Version + 2));
                var fast = await store.LoadWithReportAsync<Ledger>(id, asOf, Ct);
                var slow = await replay.LoadWithReportAsync<Ledger>(id, asOf, Ct);
                Assert.Null(slow.SnapshotVersion);
                Assert.True(fast.Aggregate.StateKey == slow.Aggregate.StateKey, $"stream {id} as of {asOf} with {codec}: snapshot {fast.SnapshotVersion} gave {fast.Aggregate.StateKey}, replay gave {slow.Aggregate.StateKey}");
                Assert.Equal(slow.Aggregate.Version, fast.Aggregate.Version);
            }
        }
    }

    private static async Task<List<RecordedEvent>> ListAsync(IAsyncEnumerable<RecordedEvent> events)
    {
        var list = new List<RecordedEvent>();
        await foreach (var e in events)
        {
            list.Add(e);
        }

        return list;
    }
}
