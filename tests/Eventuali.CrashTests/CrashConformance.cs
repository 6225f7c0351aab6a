using Eventuali.CrashTests.Writer;

namespace Eventuali.CrashTests;

/// <summary>
/// A writer process appending in a loop is killed with SIGKILL at random moments and restarted.
/// Every acknowledged append must be present, none half-written, versions contiguous, positions
/// unique, and a retry with the same event ids must write nothing new.
/// </summary>
public abstract class CrashConformance
{
    private const int Cycles = 8;

    protected abstract Task<string> CreateStoreUrlAsync(CancellationToken ct);

    /// <summary>
    /// After the concurrent run: checks, where the backend can tell from the log, that appends of different
    /// streams shared transactions (so the kills hit batched commits). Nothing by default.
    /// </summary>
    protected virtual void AssertAppendsSharedTransactions(IReadOnlyList<RecordedEvent> log)
    {
    }

    [Fact]
    public async Task Acknowledged_appends_survive_sigkill_and_retries_write_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var plan = new CrashPlan(Guid.NewGuid(), Streams: 5, Batch: 7);
        var (url, random) = await StartAsync(plan, ct);

        var acks = new List<Ack>();
        long next = 0;
        for (var cycle = 0; cycle < Cycles; cycle++)
        {
            var got = await WriterProcess.RunAsync(url, plan, next, null, TimeSpan.FromMilliseconds(random.Next(50, 600)), ct);
            acks.AddRange(got);
            next = acks.Count == 0 ? 0 : acks[^1].Append + 1;
        }

        // A last clean run proves the store still accepts the interrupted append and the ones after it.
        acks.AddRange(await WriterProcess.RunAsync(url, plan, next, 3, null, ct));
        Assert.True(acks.Count >= 3, $"only {acks.Count} appends acknowledged");
        for (var i = 0; i < acks.Count; i++)
        {
            Assert.Equal(i, acks[i].Append);
        }

        await using var store = await EventStore.CreateAsync(url, cancellationToken: ct);
        await VerifyAsync(store, plan, acks, ct);
    }

    [Fact]
    public async Task Acknowledged_concurrent_appends_survive_sigkill_and_retries_write_nothing()
    {
        // One lane per stream, all appending at once, so appends share group-commit transactions when killed.
        var ct = TestContext.Current.CancellationToken;
        var plan = new CrashPlan(Guid.NewGuid(), Streams: 8, Batch: 3);
        var (url, random) = await StartAsync(plan, ct);

        var acks = new List<Ack>();
        var next = Enumerable.Range(0, plan.Streams).Select(s => (long)s).ToArray();
        for (var cycle = 0; cycle <= Cycles; cycle++)
        {
            // The last run is clean: it proves every lane still accepts its interrupted append and the ones after it.
            var clean = cycle == Cycles;
            var got = await WriterProcess.RunLanesAsync(url, plan, next, clean ? 3 : null, clean ? null : TimeSpan.FromMilliseconds(random.Next(50, 600)), ct);
            acks.AddRange(got);
            foreach (var ack in got)
            {
                var lane = ack.Append % plan.Streams;
                next[lane] = Math.Max(next[lane], ack.Append + plan.Streams);
            }
        }

        for (var lane = 0; lane < plan.Streams; lane++)
        {
            // Each lane acknowledged its appends in order, without a gap, from its first.
            var mine = acks.Where(a => a.Append % plan.Streams == lane).Select(a => a.Append).ToList();
            Assert.Equal(Enumerable.Range(0, mine.Count).Select(i => lane + ((long)i * plan.Streams)), mine);
            Assert.True(mine.Count >= 3, $"lane {lane}: only {mine.Count} appends acknowledged");
        }

        await using var store = await EventStore.CreateAsync(url, cancellationToken: ct);
        await VerifyAsync(store, plan, acks, ct);
        AssertAppendsSharedTransactions(await store.ReadAllAsync(cancellationToken: ct).ToListAsync(ct));
    }

    /// <summary>A new store, and the kill moments' generator: they vary per run, and the seed is printed to replay a failure.</summary>
    private async Task<(string Url, Random Random)> StartAsync(CrashPlan plan, CancellationToken ct)
    {
        var url = await CreateStoreUrlAsync(ct);
        var seed = Environment.TickCount;
        TestContext.Current.SendDiagnosticMessage($"crash test seed {seed}, run {plan.Run}");
        return (url, new Random(seed));
    }

    private static async Task VerifyAsync(IEventStore store, CrashPlan plan, List<Ack> acks, CancellationToken ct)
    {
        foreach (var ack in acks)
        {
            var expectedIds = plan.Events(ack.Append).Select(e => e.EventId).ToList();
            var stored = await store.ReadStreamAsync(plan.StreamOf(ack.Append), plan.ExpectedVersionOf(ack.Append) + 1, plan.Batch, cancellationToken: ct).ToListAsync(ct);
            Assert.Equal(expectedIds, stored.Select(e => e.EventId).ToList());
            Assert.Equal(ack.Version, stored[^1].StreamVersion);
            Assert.Equal(ack.Position, stored[^1].Position);
        }

        long total = 0;
        for (var s = 0; s < plan.Streams; s++)
        {
            var events = await store.ReadStreamAsync($"crash-{s}", cancellationToken: ct).ToListAsync(ct);
            total += events.Count;
            Assert.Equal(0, events.Count % plan.Batch); // no half-written append
            for (var v = 0; v < events.Count; v++)
            {
                Assert.Equal(v + 1, events[v].StreamVersion); // contiguous
                var append = (v / plan.Batch * plan.Streams) + s;
                Assert.Equal(plan.EventId(append, v % plan.Batch), events[v].EventId);
            }
        }

        var log = await store.ReadAllAsync(cancellationToken: ct).ToListAsync(ct);
        Assert.Equal(total, log.Count);
        Assert.Equal(log.Count, log.Select(e => e.Position).Distinct().Count());
        Assert.True(log.Zip(log.Skip(1)).All(p => p.First.Position < p.Second.Position), "positions are not strictly increasing");

        // Retrying an acknowledged append with the same ids returns the original result and writes nothing.
        var head = await store.GetHeadPositionAsync(ct);
        var last = acks[^1];
        var retry = await store.AppendAsync(plan.StreamOf(last.Append), ExpectedVersion.Exact(plan.ExpectedVersionOf(last.Append)), plan.Events(last.Append), ct);
        Assert.Equal(new AppendResult(last.Version, last.Position), retry);
        Assert.Equal(head, await store.GetHeadPositionAsync(ct));
    }
}
