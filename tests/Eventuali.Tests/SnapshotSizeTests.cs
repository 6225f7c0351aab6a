using System.Globalization;
using Eventuali.Benchmarking;
using Eventuali.Snapshots;
using Eventuali.Typed;

namespace Eventuali.Tests;

/// <summary>
/// The compression target on a real SQLite file: a snapshot of a 10,000-event benchmark aggregate, compressed,
/// takes less than half the bytes of its events' payloads, also for a state that keeps something of every event.
/// </summary>
public sealed class SnapshotSizeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Compressed_snapshots_of_a_10000_event_aggregate_take_less_than_half_the_space_of_its_events()
    {
        var dir = Path.Combine(Path.GetTempPath(), "eventuali-snapshot-size", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var types = new EventTypeRegistry().Register<BenchmarkDeposited>();
            var store = await EventStore.CreateAsync("sqlite://" + Path.Combine(dir, "events.db"), new EventStoreOptions { Types = types, Durability = Durability.Relaxed }, Ct);
            await using (store)
            {
                var stream = AggregateStreams.StreamId<SnapshottedBenchmarkAccount>("size");
                for (var batch = 0; batch < 10; batch++)
                {
                    var events = Enumerable.Range(batch * 1000, 1000).Select(n => types.ToEventData(Deposit(n))).ToArray();
                    await store.AppendAsync(stream, batch == 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exact(batch * 1000), events, Ct);
                }

                long eventBytes = 0;
                await foreach (var e in store.ReadStreamAsync(stream, cancellationToken: Ct))
                {
                    eventBytes += e.Data.Length;
                }

                var small = (await store.LoadAsync<SnapshottedBenchmarkAccount>("size", Ct))!;
                var history = (await store.LoadAsync<HistoryAccount>("size", Ct))!;
                Assert.Equal((10_000L, 10_000), (small.Version, history.Entries.Count));
                var plain = await store.TakeSnapshotAsync(history, SnapshotCodec.None, Ct);
                foreach (var codec in new[] { SnapshotCodec.Lz4, SnapshotCodec.Zstd })
                {
                    var a = await store.TakeSnapshotAsync(small, codec, Ct);
                    var h = await store.TakeSnapshotAsync(history, codec, Ct);
                    var line = string.Create(CultureInfo.InvariantCulture, $"{codec}: events {eventBytes:N0} bytes; benchmark aggregate snapshot {a.StoredBytes:N0} bytes; history snapshot {h.StoredBytes:N0} bytes, {plain.StoredBytes:N0} uncompressed ({100.0 * h.StoredBytes / eventBytes:N1}% of the events)");
                    TestContext.Current.TestOutputHelper?.WriteLine(line);
                    Assert.True(a.StoredBytes * 2 < eventBytes, line);
                    Assert.True(h.StoredBytes * 2 < eventBytes, line);
                    Assert.Equal(history.Entries.Count, (await store.LoadWithReportAsync<HistoryAccount>("size", cancellationToken: Ct)).Aggregate.Entries.Count);
                }
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static BenchmarkDeposited Deposit(int n)
    {
        var number = n.ToString("D6", CultureInfo.InvariantCulture);
        return new BenchmarkDeposited("acc-" + number, 12.5m + (n % 100), "EUR", "deposit note " + n.ToString(CultureInfo.InvariantCulture), "ref-" + number + "-size", (n & 1) == 0 ? "mobile-app" : "branch-desk");
    }
}

public sealed record HistoryEntry(string Reference, decimal Amount);

/// <summary>The benchmark stream read by an aggregate whose state grows with every event.</summary>
[StreamCategory("bench")]
internal sealed class HistoryAccount : Aggregate, ISnapshottable<List<HistoryEntry>>
{
    public List<HistoryEntry> Entries { get; private set; } = [];

    public List<HistoryEntry> CaptureSnapshot() => [.. Entries];

    public void RestoreSnapshot(List<HistoryEntry> state) => Entries = [.. state];

    private void Apply(BenchmarkDeposited e) => Entries.Add(new HistoryEntry(e.Reference, e.Amount));
}
