using System.IO.Hashing;
using Eventuali.Snapshots;
using Eventuali.Typed;

namespace Eventuali.Conformance;

/// <summary>Snapshot storage, policies and snapshot loads: a snapshot never changes what a load returns.</summary>
public abstract class SnapshotConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    private readonly List<SnapshotIssue> _issues = [];

    private EventStoreOptions Options(SnapshotPolicy? policy = null, TimeProvider? clock = null)
    {
        var snapshots = new SnapshotOptions { OnIssue = i => { lock (_issues) { _issues.Add(i); } } };
        if (policy is not null)
        {
            snapshots.For<Ledger>(policy);
        }

        return new EventStoreOptions { Snapshots = snapshots, TimeProvider = clock ?? TimeProvider.System };
    }

    private static ISnapshotStore Snapshots(IEventStore store) => Assert.IsAssignableFrom<ISnapshotStore>(store.GetFeature<ISnapshotStore>());

    internal static async Task<Ledger> WriteLedgerAsync(IEventStore store, string id, int events, int perSave)
    {
        var ledger = Ledger.Open(id, "owner-" + id);
        for (var i = 1; i < events; i++)
        {
            if (i % 5 == 0)
            {
                ledger.Debit(i, "d" + i);
            }
            else
            {
                ledger.Credit(i * 3, "c" + i);
            }

            if (i % perSave == 0)
            {
                await store.SaveAsync(ledger, cancellationToken: TestContext.Current.CancellationToken);
            }
        }

        await store.SaveAsync(ledger, cancellationToken: TestContext.Current.CancellationToken);
        return ledger;
    }

    private static StoredSnapshot Raw(string stream, long version, long position, byte[] data, long? checksum = null, int schema = 1, SnapshotCodec codec = SnapshotCodec.None)
        => new(stream, version, position, "conformance-ledger", schema, codec, checksum ?? unchecked((long)XxHash64.HashToUInt64(data)), data, DateTimeOffset.UnixEpoch.AddDays(1));

    [Fact]
    public async Task Snapshot_store_writes_reads_the_newest_at_or_below_a_version_lists_and_prunes()
    {
        await using var store = await NewStoreAsync(Options());
        var s = Snapshots(store);
        Assert.Null(await s.ReadSnapshotAsync("conformance-ledger-x", cancellationToken: Ct));
        foreach (var v in new long[] { 10, 30, 20 })
        {
            await s.WriteSnapshotAsync(Raw("conformance-ledger-x", v, v * 2, [(byte)v, 1, 2]), Ct);
        }

        await s.WriteSnapshotAsync(Raw("conformance-ledger-y", 99, 5, [9]), Ct);
        Assert.Equal(30, (await s.ReadSnapshotAsync("conformance-ledger-x", cancellationToken: Ct))!.Version);
        var at25 = await s.ReadSnapshotAsync("conformance-ledger-x", 25, Ct);
        Assert.Equal((20L, 40L, 1), (at25!.Version, at25.Position, at25.SchemaVersion));
        Assert.Equal([20, 1, 2], at25.Data.ToArray());
        Assert.Equal(DateTimeOffset.UnixEpoch.AddDays(1), at25.CreatedAt);
        Assert.Null(await s.ReadSnapshotAsync("conformance-ledger-x", 9, Ct));

        // The same version again replaces the row.
        await s.WriteSnapshotAsync(Raw("conformance-ledger-x", 20, 40, [7, 7, 7, 7]), Ct);
        var list = await ListAsync(s, "conformance-ledger-x");
        Assert.Equal([30L, 20L, 10L], list.Select(i => i.Version));
        Assert.Equal(4, list[1].StoredBytes);

        Assert.Equal(2, await s.PruneSnapshotsAsync("conformance-ledger-x", 1, Ct));
        Assert.Equal([30L], (await ListAsync(s, "conformance-ledger-x")).Select(i => i.Version));
        Assert.Equal(0, await s.PruneSnapshotsAsync("conformance-ledger-x", 1, Ct));
        Assert.Single(await ListAsync(s, "conformance-ledger-y"));
    }

    [Fact]
    public async Task Bad_snapshot_arguments_are_refused_naming_the_problem()
    {
        await using var store = await NewStoreAsync(Options());
        var s = Snapshots(store);
        var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await s.WriteSnapshotAsync(Raw("conformance-ledger-x", 0, 1, [1]), Ct));
        Assert.Contains("version", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(async () => await s.WriteSnapshotAsync(Raw("conformance-ledger-x", 1, 1, [1]) with { AggregateType = " " }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await s.WriteSnapshotAsync(Raw("conformance-ledger-x", 1, 1, [1], codec: (SnapshotCodec)9), Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await s.PruneSnapshotsAsync("conformance-ledger-x", -1, Ct));
        Assert.Empty(await ListAsync(s, "conformance-ledger-x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => SnapshotPolicy.Every(0));
        Assert.Throws<ArgumentException>(() => new SnapshotOptions().For<ConformanceAccount>(SnapshotPolicy.Every(5)));
    }

    [Theory]
    [InlineData(SnapshotCodec.None)]
    [InlineData(SnapshotCodec.Lz4)]
    [InlineData(SnapshotCodec.Zstd)]
    public async Task Every_n_policy_snapshots_and_the_load_equals_a_full_replay(SnapshotCodec codec)
    {
        await using var store = await NewStoreAsync(Options(SnapshotPolicy.Every(100) with { Codec = codec }));
        var written = await WriteLedgerAsync(store, "a", 250, 7);
        var list = await ListAsync(Snapshots(store), "conformance-ledger-a");
        // Saves of 7 events: the snapshot is taken by the save that passes each multiple of 100.
        Assert.Equal([204L, 106L], list.Select(i => i.Version));
        Assert.All(list, i => Assert.Equal(codec, i.Codec));

        var loaded = await store.LoadWithReportAsync<Ledger>("a", cancellationToken: Ct);
        Assert.Equal((204L, 46L), (loaded.SnapshotVersion, loaded.EventsReplayed));
        var replayed = await new EventsOnlyStore(store).LoadWithReportAsync<Ledger>("a", cancellationToken: Ct);
        Assert.Null(replayed.SnapshotVersion);
        Assert.Equal(replayed.Aggregate.StateKey, loaded.Aggregate.StateKey);
        Assert.Equal(written.StateKey, loaded.Aggregate.StateKey);
        Assert.Equal(loaded.Aggregate.StateKey, (await store.LoadAsync<Ledger>("a", Ct))!.StateKey);
        Assert.Empty(_issues);

        // A loaded-from-snapshot aggregate saves at the right version.
        loaded.Aggregate.Credit(1, "after");
        Assert.Equal(251, (await store.SaveAsync(loaded.Aggregate, cancellationToken: Ct)).StreamVersion);
    }

    [Fact]
    public async Task Compressed_snapshots_are_smaller_than_uncompressed_ones()
    {
        await using var store = await NewStoreAsync(Options());
        var ledger = await WriteLedgerAsync(store, "z", 40, 40);
        var none = await store.TakeSnapshotAsync(ledger, SnapshotCodec.None, Ct);
        ledger.Rename(new string('x', 2000));
        await store.SaveAsync(ledger, cancellationToken: Ct);
        var plain = await store.TakeSnapshotAsync(ledger, SnapshotCodec.None, Ct);
        var lz4 = await store.TakeSnapshotAsync(ledger, SnapshotCodec.Lz4, Ct);
        Assert.Equal(lz4.Version, plain.Version);
        Assert.True(lz4.StoredBytes < plain.StoredBytes / 4, $"lz4 {lz4.StoredBytes} vs none {plain.StoredBytes}");
        ledger.Credit(1, "m");
        await store.SaveAsync(ledger, cancellationToken: Ct);
        var zstd = await store.TakeSnapshotAsync(ledger, SnapshotCodec.Zstd, Ct);
        Assert.True(zstd.StoredBytes < plain.StoredBytes / 4, $"zstd {zstd.StoredBytes} vs none {plain.StoredBytes}");
        Assert.True(none.StoredBytes > 0);
        Assert.Equal(ledger.StateKey, (await store.LoadAsync<Ledger>("z", Ct))!.StateKey);
    }

    [Fact]
    public async Task A_corrupt_snapshot_is_reported_and_skipped_for_an_older_one()
    {
        await using var store = await NewStoreAsync(Options(SnapshotPolicy.Every(10) with { Codec = SnapshotCodec.Lz4 }));
        var written = await WriteLedgerAsync(store, "c", 35, 1);
        var s = Snapshots(store);
        var newest = (await s.ReadSnapshotAsync("conformance-ledger-c", cancellationToken: Ct))!;
        Assert.Equal(30, newest.Version);
        var flipped = newest.Data.ToArray();
        flipped[flipped.Length / 2] ^= 0x5A;
        await s.WriteSnapshotAsync(newest with { Data = flipped }, Ct);

        var loaded = await store.LoadWithReportAsync<Ledger>("c", cancellationToken: Ct);
        Assert.Equal(written.StateKey, loaded.Aggregate.StateKey);
        Assert.Equal(20, loaded.SnapshotVersion);
        var issue = Assert.Single(loaded.Issues);
        Assert.Equal((SnapshotIssueKind.ChecksumMismatch, 30L, true), (issue.Kind, issue.Version, issue.IsCorruption));
        Assert.Equal(issue, Assert.Single(_issues));

        // Bytes that match their checksum but do not decompress are corrupt too.
        var garbage = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
        await s.WriteSnapshotAsync(Raw("conformance-ledger-c", 20, newest.Position, garbage, codec: SnapshotCodec.Zstd), Ct);
        loaded = await store.LoadWithReportAsync<Ledger>("c", cancellationToken: Ct);
        Assert.Equal(written.StateKey, loaded.Aggregate.StateKey);
        Assert.Equal([SnapshotIssueKind.ChecksumMismatch, SnapshotIssueKind.Undecodable], loaded.Issues.Select(i => i.Kind));
        Assert.Equal(10, loaded.SnapshotVersion);
    }

    [Fact]
    public async Task A_snapshot_of_an_older_state_shape_or_another_aggregate_is_ignored()
    {
        await using var store = await NewStoreAsync(Options(SnapshotPolicy.Every(5)));
        await WriteLedgerAsync(store, "s", 12, 1);
        Assert.Equal(2, (await ListAsync(Snapshots(store), "conformance-ledger-s")).Count);
        var v2 = await store.LoadWithReportAsync<LedgerV2>("s", cancellationToken: Ct);
        Assert.Null(v2.SnapshotVersion);
        Assert.Equal(12, v2.EventsReplayed);
        Assert.All(v2.Issues, i => Assert.Equal(SnapshotIssueKind.SchemaVersionMismatch, i.Kind));
        Assert.All(v2.Issues, i => Assert.False(i.IsCorruption));
        var expected = await new EventsOnlyStore(store).LoadAsync<LedgerV2>("s", Ct);
        Assert.Equal((expected!.Balance, expected.Entries, 12L), (v2.Aggregate.Balance, v2.Aggregate.Entries, v2.Aggregate.Version));
    }

    [Fact]
    public async Task A_snapshot_whose_event_is_not_in_the_stream_is_ignored()
    {
        await using var store = await NewStoreAsync(Options());
        var written = await WriteLedgerAsync(store, "t", 8, 8);
        var s = Snapshots(store);
        var good = await store.TakeSnapshotAsync(written, cancellationToken: Ct);
        var stored = (await s.ReadSnapshotAsync("conformance-ledger-t", cancellationToken: Ct))!;

        // As if the stream had been deleted and written again: same version, another position.
        await s.WriteSnapshotAsync(stored with { Position = good.Position + 1000 }, Ct);
        var loaded = await store.LoadWithReportAsync<Ledger>("t", cancellationToken: Ct);
        Assert.Equal(SnapshotIssueKind.Stale, Assert.Single(loaded.Issues).Kind);
        Assert.Equal((written.StateKey, (long?)null), (loaded.Aggregate.StateKey, loaded.SnapshotVersion));

        // Beyond the end of the stream.
        await s.WriteSnapshotAsync(stored with { Version = 50 }, Ct);
        Assert.Equal(written.StateKey, (await store.LoadAsync<Ledger>("t", Ct))!.StateKey);
        Assert.Null(await store.LoadAsync<Ledger>("missing", Ct));
    }

    [Fact]
    public async Task Background_snapshots_are_written_after_the_save_and_keep_last_prunes()
    {
        await using var store = await NewStoreAsync(Options(SnapshotPolicy.Every(3) with { Timing = SnapshotTiming.Background, KeepLast = 2, Codec = SnapshotCodec.Zstd }));
        var written = await WriteLedgerAsync(store, "b", 14, 1);
        await store.FlushSnapshotsAsync(Ct);
        Assert.Equal([12L, 9L], (await ListAsync(Snapshots(store), "conformance-ledger-b")).Select(i => i.Version));
        var loaded = await store.LoadWithReportAsync<Ledger>("b", cancellationToken: Ct);
        Assert.Equal((12L, written.StateKey), (loaded.SnapshotVersion!.Value, loaded.Aggregate.StateKey));
        Assert.Empty(_issues);
    }

    [Fact]
    public async Task Age_and_custom_policies_decide_from_the_latest_snapshot()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var store = await NewStoreAsync(Options(SnapshotPolicy.OlderThan(TimeSpan.FromHours(1)), clock));
        var ledger = await WriteLedgerAsync(store, "g", 2, 1);
        Assert.Equal([2L], (await ListAsync(Snapshots(store), "conformance-ledger-g")).Select(i => i.Version));
        ledger.Credit(5, "x");
        await store.SaveAsync(ledger, cancellationToken: Ct);
        Assert.Single(await ListAsync(Snapshots(store), "conformance-ledger-g"));
        clock.Advance(TimeSpan.FromMinutes(61));
        ledger.Credit(6, "y");
        await store.SaveAsync(ledger, cancellationToken: Ct);
        Assert.Equal([4L, 2L], (await ListAsync(Snapshots(store), "conformance-ledger-g")).Select(i => i.Version));

        await using var custom = await NewStoreAsync(Options(SnapshotPolicy.Custom(d => d.Aggregate is Ledger { Balance: > 100 } && d.LatestSnapshot is null)));
        var other = await WriteLedgerAsync(custom, "h", 12, 1);
        var versions = (await ListAsync(Snapshots(custom), "conformance-ledger-h")).Select(i => i.Version).ToList();
        Assert.Single(versions);
        Assert.Equal(other.StateKey, (await custom.LoadAsync<Ledger>("h", Ct))!.StateKey);
    }

    [Fact]
    public async Task Snapshots_survive_reopening_the_store()
    {
        if (!Fixture.Persists)
        {
            Assert.Skip($"{Fixture.BackendName} does not persist.");
        }

        var store = await NewStoreAsync(Options(SnapshotPolicy.Every(4) with { Codec = SnapshotCodec.Lz4 }));
        var written = await WriteLedgerAsync(store, "p", 10, 1);
        store = await Fixture.ReopenAsync(store, Ct);
        await using (store)
        {
            var loaded = await store.LoadWithReportAsync<Ledger>("p", cancellationToken: Ct);
            Assert.Equal((8L, written.StateKey), (loaded.SnapshotVersion!.Value, loaded.Aggregate.StateKey));
        }
    }

    internal static async Task<List<SnapshotInfo>> ListAsync(ISnapshotStore store, string streamId)
    {
        var list = new List<SnapshotInfo>();
        await foreach (var i in store.ListSnapshotsAsync(streamId, TestContext.Current.CancellationToken))
        {
            list.Add(i);
        }

        return list;
    }
}
