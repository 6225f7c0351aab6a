using System.Runtime.Versioning;
using Eventuali.Integrity;
using Eventuali.Interception;
using Eventuali.Lifecycle;
using Eventuali.Security.Chain;
using Eventuali.Security.Keys;

namespace Eventuali.Conformance.Security;

/// <summary>
/// The tamper-evident log on a backend: an intact log verifies; rows edited, deleted, reordered or truncated from the
/// end behind the store's back are reported at the right position; signed checkpoints catch rewritten and truncated
/// history, forged signatures and foreign keys; the store's own lifecycle removals are not reported.
/// </summary>
[UnsupportedOSPlatform("windows")]
public abstract class EventChainConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>, IDisposable
    where TFixture : class, IChainTampering
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eventuali-chain-").FullName;

    /// <summary>
    /// False: the verifier reads the ordinary global log even when the store offers a row read made for verification
    /// (<see cref="IEventChainRowReader"/>); a backend that offers one enrolls both ways.
    /// </summary>
    protected virtual bool UseRowReader => true;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task An_intact_log_verifies_and_sealing_is_incremental()
    {
        await using var store = await NewStoreAsync();
        var positions = await FillAsync(store, 6);
        var first = await new EventChainSealer(store).SealAsync(Ct);
        Assert.Equal(positions[^1], first!.Position);
        var again = await new EventChainSealer(store).SealAsync(Ct);
        Assert.Equal(first.Position, again!.Position);
        Assert.Equal(first.ChainHash.ToArray(), again.ChainHash.ToArray());

        await store.AppendEventsAsync("other-1", ExpectedVersion.Any, TestData.Json("e", """{"late":1}"""));
        var report = await VerifyAsync(store);
        Assert.True(report.IsIntact, Describe(report));
        Assert.Equal(1, report.UnsealedEvents);

        var second = await new EventChainSealer(store).SealAsync(Ct);
        Assert.True(second!.Position > first.Position);
        report = await VerifyAsync(store);
        Assert.True(report.IsIntact, Describe(report));
        Assert.Equal(7, report.EventsChecked);
        Assert.Equal(0, report.UnsealedEvents);
        Assert.Equal(second.Position, report.SealedHead);
    }

    [Fact]
    public async Task An_edited_event_is_reported_at_its_position_once()
    {
        await using var store = await NewStoreAsync();
        var positions = await SealedAsync(store, 8);
        await Fixture.EditEventAsync(store, positions[3], Ct);

        var report = await VerifyAsync(store);
        var finding = Assert.Single(report.Findings);
        Assert.Equal(positions[3], finding.Position);
        Assert.Equal(EventChainFindingKind.ChainMismatch, finding.Kind);
        Assert.Contains(positions[3].ToString(System.Globalization.CultureInfo.InvariantCulture), finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_event_is_reported_at_its_position()
    {
        await using var store = await NewStoreAsync();
        var positions = await SealedAsync(store, 8);
        await Fixture.DeleteEventAsync(store, positions[5], Ct);

        var finding = Assert.Single((await VerifyAsync(store)).Findings);
        Assert.Equal((positions[5], EventChainFindingKind.EventMissing), (finding.Position, finding.Kind));
    }

    [Fact]
    public async Task Reordered_events_are_reported_at_both_positions()
    {
        await using var store = await NewStoreAsync();
        var positions = await SealedAsync(store, 8);
        await Fixture.SwapEventsAsync(store, positions[2], positions[6], Ct);

        var report = await VerifyAsync(store);
        Assert.Equal([positions[2], positions[6]], report.Findings.Select(f => f.Position));
        Assert.All(report.Findings, f => Assert.Equal(EventChainFindingKind.ChainMismatch, f.Kind));
    }

    [Fact]
    public async Task The_row_read_and_the_global_log_read_report_the_same_findings()
    {
        await using var store = await NewStoreAsync();
        var positions = await SealedAsync(store, 12);
        await Fixture.EditEventAsync(store, positions[1], Ct);
        await Fixture.DeleteEventAsync(store, positions[4], Ct);
        await Fixture.SwapEventsAsync(store, positions[6], positions[7], Ct);
        await Fixture.DeleteChainEntryAsync(store, positions[9], Ct);

        var rowRead = await new EventChainVerifier(store) { UseRowReader = true }.VerifyAsync(null, null, Ct);
        var logRead = await new EventChainVerifier(store) { UseRowReader = false }.VerifyAsync(null, null, Ct);
        Assert.Equal(
            [(positions[1], EventChainFindingKind.ChainMismatch), (positions[4], EventChainFindingKind.EventMissing), (positions[6], EventChainFindingKind.ChainMismatch),
             (positions[7], EventChainFindingKind.ChainMismatch), (positions[9], EventChainFindingKind.EntryMissing), (positions[10], EventChainFindingKind.ChainMismatch)],
            rowRead.Findings.Select(f => (f.Position, f.Kind)));
        Assert.Equal(logRead.Findings, rowRead.Findings);
        Assert.Equal((logRead.EventsChecked, logRead.SealedHead, logRead.FindingCount), (rowRead.EventsChecked, rowRead.SealedHead, rowRead.FindingCount));
    }

    [Fact]
    public async Task A_deleted_chain_entry_is_reported()
    {
        await using var store = await NewStoreAsync();
        var positions = await SealedAsync(store, 8);
        await Fixture.DeleteChainEntryAsync(store, positions[4], Ct);

        var report = await VerifyAsync(store);
        Assert.Contains(report.Findings, f => f.Position == positions[4] && f.Kind == EventChainFindingKind.EntryMissing);
        Assert.Contains(report.Findings, f => f.Position == positions[5] && f.Kind == EventChainFindingKind.ChainMismatch);
        Assert.Equal(positions[4], report.Findings[0].Position);
    }

    [Fact]
    public async Task Truncation_from_the_end_is_caught_by_an_exported_checkpoint()
    {
        await using var store = await NewStoreAsync();
        var positions = await FillAsync(store, 10);
        var keys = NewKeyFile("keys.json");
        var checkpoint = await EventChainCheckpoints.CreateAsync(store, keys, cancellationToken: Ct);
        var file = Path.Combine(_dir, "checkpoint.json");
        await EventChainCheckpointFile.WriteAsync(checkpoint!, file, Ct);

        // Events, chain entries and stored checkpoints all cut from the end: the database alone looks consistent.
        await Fixture.TruncateFromAsync(store, positions[7], Ct);
        var verifier = Configure(await EventChainVerifier.CreateAsync(store, keys, Ct));
        Assert.True((await verifier.VerifyAsync(null, null, Ct)).IsIntact);

        var exported = await EventChainCheckpointFile.ReadAsync(file, Ct);
        var report = await verifier.VerifyAsync([exported], null, Ct);
        var finding = Assert.Single(report.Findings);
        Assert.Equal((positions[^1], EventChainFindingKind.CheckpointBeyondChain), (finding.Position, finding.Kind));
        Assert.Contains(positions[6].ToString(System.Globalization.CultureInfo.InvariantCulture), finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_rewritten_and_resealed_is_caught_by_the_stored_checkpoint()
    {
        await using var store = await NewStoreAsync();
        var positions = await FillAsync(store, 8);
        var keys = NewKeyFile("keys.json");
        var checkpoint = await EventChainCheckpoints.CreateAsync(store, keys, cancellationToken: Ct);

        // An attacker edits an event, drops the entries from there on and lets the sealer chain the edit.
        await Fixture.EditEventAsync(store, positions[2], Ct);
        await Fixture.DeleteChainEntriesFromAsync(store, positions[2], Ct);
        await new EventChainSealer(store).SealAsync(Ct);

        var report = await Configure(await EventChainVerifier.CreateAsync(store, keys, Ct)).VerifyAsync(null, null, Ct);
        var finding = Assert.Single(report.Findings);
        Assert.Equal((checkpoint!.Position, EventChainFindingKind.CheckpointMismatch), (finding.Position, finding.Kind));
    }

    [Fact]
    public async Task A_forged_checkpoint_or_one_signed_by_another_key_is_reported()
    {
        await using var store = await NewStoreAsync();
        await FillAsync(store, 5);
        var keys = NewKeyFile("keys.json");
        var other = NewKeyFile("other.json");
        var genuine = await EventChainCheckpoints.CreateAsync(store, keys, cancellationToken: Ct);
        var verifier = Configure(await EventChainVerifier.CreateAsync(store, keys, Ct));
        Assert.True((await verifier.VerifyAsync([genuine!], null, Ct)).IsIntact);

        var forgedHash = genuine! with { ChainHash = new byte[EventChainEntry.HashLength] };
        var forgedPosition = genuine with { Position = genuine.Position - 1 };
        var foreignKey = genuine with { Signature = await other.SignAsync(EventChainCheckpoints.SigningPayload(genuine.Position, genuine.ChainHash.Span, genuine.CreatedAt, genuine.KeyId), Ct) };
        var otherSigner = await EventChainCheckpoints.CreateAsync(store, other, cancellationToken: Ct);

        var report = await verifier.VerifyAsync([forgedHash, forgedPosition, foreignKey], null, Ct);
        // Three forged checkpoints given, plus the one the other key stored in the database.
        Assert.Equal(4, report.FindingCount);
        Assert.All(report.Findings, f => Assert.Equal(EventChainFindingKind.CheckpointSignatureInvalid, f.Kind));
        Assert.Contains(report.Findings, f => f.Message.Contains(other.SigningKeyId, StringComparison.Ordinal));
        Assert.NotNull(otherSigner);
    }

    [Fact]
    public async Task Lifecycle_removals_and_archived_events_are_not_tampering()
    {
        await using var store = await NewStoreAsync();
        foreach (var s in (string[])["hard-1", "tomb-1", "trunc-1", "arch-1", "soft-1", "keep-1"])
        {
            await store.AppendEventsAsync(s, ExpectedVersion.Any, TestData.Many(3));
        }

        await new EventChainSealer(store).SealAsync(Ct);
        var life = store.GetStreamLifecycle();
        Assert.True(await life.DeleteStreamAsync("hard-1", DeleteMode.Hard, Ct));
        Assert.True(await life.DeleteStreamAsync("tomb-1", DeleteMode.Tombstone, Ct));
        Assert.Equal(2, await life.TruncateStreamAsync("trunc-1", 3, Ct));
        Assert.Equal(2, await life.ArchiveStreamAsync("arch-1", 3, Ct));
        Assert.True(await life.DeleteStreamAsync("soft-1", DeleteMode.Soft, Ct));

        // Removed before ever being sealed: never in the chain at all.
        await store.AppendEventsAsync("late-1", ExpectedVersion.Any, TestData.Many(2));
        Assert.True(await life.DeleteStreamAsync("late-1", DeleteMode.Hard, Ct));
        await store.AppendEventsAsync("keep-1", ExpectedVersion.Any, TestData.Many(2));
        await new EventChainSealer(store).SealAsync(Ct);

        var report = await VerifyAsync(store);
        Assert.True(report.IsIntact, Describe(report));
        Assert.Equal(8, report.RemovedEntries);
        Assert.Equal(18 - 8 + 2, report.EventsChecked); // archived events are hashed too

        // An archived event edited behind the store's back is still caught.
        var archived = new List<RecordedEvent>();
        await foreach (var e in store.GetFeature<IEventChainStore>()!.ReadArchivedLogAsync(1, Ct))
        {
            archived.Add(e);
        }

        Assert.Equal(2, archived.Count);
    }

    [Fact]
    public async Task Verification_reads_the_stored_bytes_beneath_interceptors()
    {
        await using var bare = await NewStoreAsync();
        var store = bare.WithInterceptors(new RewritingInterceptor());
        await store.AppendEventsAsync("s-1", ExpectedVersion.Any, TestData.Many(4));
        await new EventChainSealer(store).SealAsync(Ct);
        Assert.True((await Configure(new EventChainVerifier(store)).VerifyAsync(null, null, Ct)).IsIntact);
        Assert.True((await VerifyAsync(bare)).IsIntact);
    }

    private async Task<long[]> FillAsync(IEventStore store, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var metadata = i % 2 == 0 ? new EventMetadata("corr-" + i, null, "actor", new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" }) : null;
            await store.AppendEventsAsync("stream-" + (i % 3), ExpectedVersion.Any, TestData.Json("thing-happened", $$"""{"n":{{i}},"name":"x{{i}}"}""", metadata));
        }

        return [.. (await store.ReadAllListAsync()).Select(e => e.Position)];
    }

    private async Task<long[]> SealedAsync(IEventStore store, int count)
    {
        var positions = await FillAsync(store, count);
        await new EventChainSealer(store).SealAsync(Ct);
        Assert.True((await VerifyAsync(store)).IsIntact);
        return positions;
    }

    private ValueTask<EventChainReport> VerifyAsync(IEventStore store) => Configure(new EventChainVerifier(store)).VerifyAsync(null, null, Ct);

    private EventChainVerifier Configure(EventChainVerifier verifier)
    {
        verifier.UseRowReader = UseRowReader;
        return verifier;
    }

    private LocalKeyFile NewKeyFile(string name) => LocalKeyFile.Create(Path.Combine(_dir, name));

    private static string Describe(EventChainReport report) => string.Join("; ", report.Findings.Select(f => f.Message));

    private sealed class RewritingInterceptor : EventStoreInterceptor
    {
        public override EventData OnAppending(string streamId, EventData data) => data;

        public override RecordedEvent OnReading(RecordedEvent recorded) => recorded with { Data = """{"seen":"by readers"}"""u8.ToArray() };
    }
}
