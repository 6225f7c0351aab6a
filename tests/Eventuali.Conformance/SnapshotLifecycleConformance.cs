using Eventuali.Lifecycle;
using Eventuali.Snapshots;
using Eventuali.Typed;

namespace Eventuali.Conformance;

/// <summary>
/// Loads after truncate and archive (docs/stream-lifecycle.md): a snapshot at version ≥ v − 1 is completed by the
/// events after it, archived events are read back, and a load that would need truncated events fails with
/// <see cref="StreamTruncatedException"/>. Never a plausible wrong state, and the version is always the stream's.
/// </summary>
public abstract class SnapshotLifecycleConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    private static EventStoreOptions Every5()
    {
        var snapshots = new SnapshotOptions();
        snapshots.For<Ledger>(SnapshotPolicy.Every(5));
        return new EventStoreOptions { Snapshots = snapshots };
    }

    /// <summary>15 events, snapshots at 5, 10, 15; returns the state at every version, read before any removal.</summary>
    private static async Task<Dictionary<long, string>> WriteAsync(IEventStore store, string id)
    {
        await SnapshotConformance<TFixture>.WriteLedgerAsync(store, id, 15, 1);
        var states = new Dictionary<long, string>();
        var replay = new EventsOnlyStore(store);
        for (long v = 1; v <= 15; v++)
        {
            states[v] = (await replay.LoadAsOfAsync<Ledger>(id, AsOf.Version(v), Ct))!.StateKey;
        }

        Assert.Equal([15L, 10L, 5L], (await SnapshotConformance<TFixture>.ListAsync((ISnapshotStore)store, "conformance-ledger-" + id)).Select(i => i.Version));
        return states;
    }

    private static async Task SnapshotAtAsync(IEventStore store, string id, long version)
        => await store.TakeSnapshotAsync((await store.LoadAsOfAsync<Ledger>(id, AsOf.Version(version), Ct))!, cancellationToken: Ct);

    [Fact]
    public async Task After_truncate_a_snapshot_at_v_minus_1_is_completed_by_the_events_after_it()
    {
        await using var store = await NewStoreAsync(Every5());
        var states = await WriteAsync(store, "t13");
        await SnapshotAtAsync(store, "t13", 12);
        Assert.Equal(12, await store.Life().TruncateStreamAsync("conformance-ledger-t13", 13, Ct));

        var loaded = await store.LoadWithReportAsync<Ledger>("t13", cancellationToken: Ct);
        Assert.Equal((15L, 0L, states[15]), (loaded.SnapshotVersion!.Value, loaded.EventsReplayed, loaded.Aggregate.StateKey));
        Assert.Equal(15, loaded.Aggregate.Version);
        Assert.Empty(loaded.Issues);

        // Below the newest snapshot: the one at 12 plus 13 and 14; at 12 exactly: the snapshot alone.
        var at14 = await store.LoadWithReportAsync<Ledger>("t13", AsOf.Version(14), Ct);
        Assert.Equal((12L, 2L, states[14]), (at14.SnapshotVersion!.Value, at14.EventsReplayed, at14.Aggregate.StateKey));
        Assert.Equal(states[12], (await store.LoadAsOfAsync<Ledger>("t13", AsOf.Version(12), Ct))!.StateKey);

        // Below 12 only the snapshot at 10 is left, and 11 and 12 are gone.
        var ex = await Assert.ThrowsAsync<StreamTruncatedException>(async () => await store.LoadAsOfAsync<Ledger>("t13", AsOf.Version(11), Ct));
        Assert.Equal(("conformance-ledger-t13", 13L, (long?)10, 11L), (ex.StreamId, ex.TruncatedBefore, ex.NewestSnapshotVersion, ex.Version));
        Assert.Contains("truncated before version 13", ex.Message, StringComparison.Ordinal);

        // A loaded aggregate saves at the stream's version.
        loaded.Aggregate.Credit(1, "after");
        Assert.Equal(16, (await store.SaveAsync(loaded.Aggregate, cancellationToken: Ct)).StreamVersion);
    }

    [Fact]
    public async Task After_truncating_everything_the_snapshot_at_the_last_version_loads_and_AsOf_holds()
    {
        await using var store = await NewStoreAsync(Every5());
        var states = await WriteAsync(store, "t16");
        await store.Life().TruncateStreamAsync("conformance-ledger-t16", 16, Ct);
        Assert.Empty(await store.ReadStreamListAsync("conformance-ledger-t16"));

        var loaded = await store.LoadWithReportAsync<Ledger>("t16", cancellationToken: Ct);
        Assert.Equal((15L, 0L, 15L, states[15]), (loaded.SnapshotVersion!.Value, loaded.EventsReplayed, loaded.Aggregate.Version, loaded.Aggregate.StateKey));
        Assert.Equal(states[15], (await store.LoadAsync<Ledger>("t16", Ct))!.StateKey);

        // AsOf 12: the snapshot at 10 would need 11 and 12; never the state at 15.
        var ex = await Assert.ThrowsAsync<StreamTruncatedException>(async () => await store.LoadAsOfAsync<Ledger>("t16", AsOf.Version(12), Ct));
        Assert.Equal((16L, (long?)10, 12L), (ex.TruncatedBefore, ex.NewestSnapshotVersion, ex.Version));
        Assert.Equal(states[10], (await store.LoadAsOfAsync<Ledger>("t16", AsOf.Version(10), Ct))!.StateKey);
    }

    [Fact]
    public async Task A_truncation_no_snapshot_covers_fails_with_a_typed_error_never_a_partial_replay()
    {
        await using var store = await NewStoreAsync(Every5());
        // 14 events: snapshots at 5 and 10, neither at 12 or later.
        await SnapshotConformance<TFixture>.WriteLedgerAsync(store, "gap", 14, 1);
        await store.Life().TruncateStreamAsync("conformance-ledger-gap", 13, Ct);

        var ex = await Assert.ThrowsAsync<StreamTruncatedException>(async () => await store.LoadAsync<Ledger>("gap", Ct));
        Assert.Equal(("conformance-ledger-gap", 13L, (long?)10, 14L), (ex.StreamId, ex.TruncatedBefore, ex.NewestSnapshotVersion, ex.Version));
        await Assert.ThrowsAsync<StreamTruncatedException>(async () => await store.LoadOrCreateAsync<Ledger>("gap", Ct));

        // Without snapshots (a store that only has events): the same error, no snapshot named.
        var plain = await Assert.ThrowsAsync<StreamTruncatedException>(async () => await new EventsOnlyStore(store).LoadAsync<Ledger>("gap", Ct));
        Assert.Equal((13L, (long?)null), (plain.TruncatedBefore, plain.NewestSnapshotVersion));
        Assert.Contains("no usable snapshot", plain.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_load_completes_an_older_snapshot_from_the_archive()
    {
        await using var store = await NewStoreAsync(Every5());
        var states = await WriteAsync(store, "arc");
        Assert.Equal(12, await store.Life().ArchiveStreamAsync("conformance-ledger-arc", 13, Ct));

        var loaded = await store.LoadWithReportAsync<Ledger>("arc", cancellationToken: Ct);
        Assert.Equal((15L, states[15]), (loaded.Aggregate.Version, loaded.Aggregate.StateKey));
        var at12 = await store.LoadWithReportAsync<Ledger>("arc", AsOf.Version(12), Ct);
        Assert.Equal((10L, 2L, states[12]), (at12.SnapshotVersion!.Value, at12.EventsReplayed, at12.Aggregate.StateKey));

        // Everything archived, no snapshot: the archive alone rebuilds every version.
        await using var bare = await NewStoreAsync();
        await SnapshotConformance<TFixture>.WriteLedgerAsync(bare, "all", 15, 4);
        await bare.Life().ArchiveStreamAsync("conformance-ledger-all", cancellationToken: Ct);
        for (long v = 1; v <= 15; v++)
        {
            Assert.Equal(states[v].Replace("arc|", "all|", StringComparison.Ordinal).Replace("owner-arc", "owner-all", StringComparison.Ordinal),
                (await bare.LoadAsOfAsync<Ledger>("all", AsOf.Version(v), Ct))!.StateKey);
        }
    }
}
