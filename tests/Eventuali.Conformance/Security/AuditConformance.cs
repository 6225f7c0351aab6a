using System.Text;
using Eventuali.Auditing;
using Eventuali.Interception;
using Eventuali.Lifecycle;
using Eventuali.Security.Audit;
using Eventuali.Security.Keys;
using static Eventuali.Conformance.Security.SecurityTestKit;

namespace Eventuali.Conformance.Security;

/// <summary>
/// The access audit log on a backend: who did what to which stream and how it ended, never a payload; a chain that
/// verifies and reports rows edited or deleted behind the store's back; sampled, full and off modes; and one chain
/// when two store instances write the same log at once.
/// </summary>
public abstract class AuditConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IAuditTampering
{
    private const string Marker = "AUDIT-PAYLOAD-MARKER-5d1e";

    private static readonly AuditOptions Full = new() { Mode = AuditMode.Full, FlushInterval = TimeSpan.Zero };

    [Fact]
    public async Task Appends_reads_and_erasures_are_recorded_with_actor_stream_count_and_outcome()
    {
        await using var audited = (await NewStoreAsync()).WithAudit(Full);
        var start = audited.Options.TimeProvider.GetUtcNow().AddSeconds(-1);
        using (AuditContext.Begin("alice"))
        {
            await audited.AppendEventsAsync("audit-acc-1", ExpectedVersion.NoStream, TestData.Json(), TestData.Json());
            Assert.Equal(2, (await audited.ReadStreamListAsync("audit-acc-1")).Count);
            await audited.ReadAllListAsync();
        }

        using (AuditContext.Begin("bob"))
        {
            Assert.True(await audited.GetFeature<IStreamLifecycle>()!.DeleteStreamAsync("audit-acc-1", DeleteMode.Hard, Ct));
        }

        var entries = await EntriesAsync(audited);
        Assert.Equal(
            [
                ("alice", AuditAction.Append, "append", "audit-acc-1", 2L),
                ("alice", AuditAction.Read, "read-stream", "audit-acc-1", 2L),
                ("alice", AuditAction.Read, "read-all", null, 2L),
                ("bob", AuditAction.Erase, "hard-delete-stream", "audit-acc-1", 0L),
            ],
            entries.Select(e => (e.Record.Actor, e.Record.Action, e.Record.Operation, e.Record.StreamId, e.Record.EventCount)));
        Assert.All(entries, e => Assert.Equal((AuditOutcome.Succeeded, (string?)null), (e.Record.Outcome, e.Record.ErrorType)));
        Assert.Equal([1L, 2, 3, 4], entries.Select(e => e.Position));
        Assert.All(entries, e => Assert.InRange(e.Record.Time, start, audited.Options.TimeProvider.GetUtcNow()));
    }

    [Fact]
    public async Task A_failed_append_is_recorded_as_failed_with_the_error_type_only()
    {
        await using var audited = (await NewStoreAsync()).WithAudit(Full);
        await audited.AppendEventsAsync("audit-conflict", ExpectedVersion.NoStream, TestData.Json());
        using (AuditContext.Begin("mallory"))
        {
            await Assert.ThrowsAsync<ConcurrencyException>(async () => await audited.AppendEventsAsync("audit-conflict", ExpectedVersion.NoStream, TestData.Json()));
        }

        var failed = (await EntriesAsync(audited))[^1].Record;
        Assert.Equal(("mallory", AuditAction.Append, "audit-conflict", AuditOutcome.Failed, "ConcurrencyException", 1L), (failed.Actor, failed.Action, failed.StreamId, failed.Outcome, failed.ErrorType, failed.EventCount));
    }

    [Fact]
    public async Task Key_erasure_rotation_and_export_are_recorded_without_the_subject()
    {
        using var keys = new TempKeyFile();
        await using var audited = (await NewStoreAsync()).WithAudit(Full);
        var enc = Encrypt(audited, keys.Keys);
        using (AuditContext.Begin("dpo"))
        {
            await enc.Store.AppendAsync("audit-customer-1", ExpectedVersion.Any, [Personal("subject-audit", """{"email":"a@example.org"}""", "email")], Ct);
            await enc.RotateSubjectKeyAsync("subject-audit", Ct);
            await foreach (var _ in enc.ExportSubjectAsync("subject-audit", Ct))
            {
            }

            await enc.EraseSubjectAsync("subject-audit", Ct);
        }

        var entries = await EntriesAsync(audited);
        Assert.Contains(entries, e => e.Record is { Action: AuditAction.Admin, Operation: "rotate-key", StreamId: null });
        Assert.Contains(entries, e => e.Record is { Action: AuditAction.Read, Operation: "export-subject", EventCount: 1 });
        Assert.Contains(entries, e => e.Record is { Action: AuditAction.Erase, Operation: "erase-subject", Outcome: AuditOutcome.Succeeded });
        Assert.All(entries, e => Assert.Equal("dpo", e.Record.Actor));
        Assert.DoesNotContain(await Fixture.DumpAuditRowsAsync(audited.Inner, Ct), row => row.Contains("subject-audit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_audit_rows_hold_no_payload_header_or_metadata_value()
    {
        await using var audited = (await NewStoreAsync()).WithAudit(Full);
        var metadata = new EventMetadata(CorrelationId: Marker + "-c", CausationId: Marker + "-k", ActorId: Marker + "-a", Headers: new Dictionary<string, string> { ["h"] = Marker + "-h" });
        await audited.AppendEventsAsync("audit-payload", ExpectedVersion.NoStream, TestData.Json("audit-" + Marker, $$"""{"secret":"{{Marker}}"}""", metadata));
        await audited.ReadStreamListAsync("audit-payload");

        await FlushAsync(audited);
        var rows = await Fixture.DumpAuditRowsAsync(audited.Inner, Ct);
        Assert.Equal(2, rows.Count);
        var hex = Convert.ToHexStringLower(Encoding.UTF8.GetBytes(Marker));
        Assert.All(rows, row => Assert.False(row.Contains(Marker, StringComparison.Ordinal) || row.Contains(hex, StringComparison.OrdinalIgnoreCase), row));
    }

    [Fact]
    public async Task The_chain_verifies_and_an_edited_entry_is_reported_at_its_position()
    {
        var store = await NewStoreAsync();
        await using var audited = store.WithAudit(Full);
        await WorkAsync(audited, 6);
        await FlushAsync(audited);
        var before = await new AuditLogVerifier(store).VerifyAsync(cancellationToken: Ct);
        Assert.True(before.IsIntact, Describe(before));
        Assert.Equal((12L, 12L), (before.EntriesChecked, before.Head));

        await Fixture.EditAuditActorAsync(store, 5, "someone-else", Ct);
        var report = await new AuditLogVerifier(store).VerifyAsync(cancellationToken: Ct);
        var finding = Assert.Single(report.Findings);
        Assert.Equal((5L, AuditFindingKind.EntryAltered), (finding.Position, finding.Kind));
        Assert.Equal(5, report.FirstBrokenPosition);
        Assert.Contains("5", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleted_entries_are_reported_and_a_trusted_head_catches_truncation()
    {
        var store = await NewStoreAsync();
        await using var audited = store.WithAudit(Full);
        await WorkAsync(audited, 5);
        await FlushAsync(audited);
        var head = (await store.GetFeature<IAuditLogStore>()!.ReadAuditHeadAsync(Ct))!;

        await Fixture.DeleteAuditEntriesAsync(store, 3, 3, Ct);
        var finding = Assert.Single((await new AuditLogVerifier(store).VerifyAsync(head, Ct)).Findings);
        Assert.Equal((3L, AuditFindingKind.EntryMissing), (finding.Position, finding.Kind));

        await Fixture.DeleteAuditEntriesAsync(store, 9, 10, Ct);
        var untrusted = await new AuditLogVerifier(store).VerifyAsync(cancellationToken: Ct);
        Assert.Equal([3L], untrusted.Findings.Select(f => f.Position));
        var trusted = await new AuditLogVerifier(store).VerifyAsync(head, Ct);
        Assert.Equal([(3L, AuditFindingKind.EntryMissing), (10L, AuditFindingKind.Truncated)], trusted.Findings.Select(f => (f.Position, f.Kind)));
    }

    [Fact]
    public async Task Sampled_mode_records_every_write_and_an_exact_share_of_reads()
    {
        await using var audited = (await NewStoreAsync()).WithAudit(new AuditOptions { Mode = AuditMode.Sampled, SampleRate = 0.25, FlushInterval = TimeSpan.Zero });
        for (var i = 0; i < 4; i++)
        {
            await audited.AppendEventsAsync($"audit-s-{i}", ExpectedVersion.NoStream, TestData.Json());
        }

        for (var i = 0; i < 8; i++)
        {
            await audited.ReadStreamListAsync($"audit-s-{i % 4}");
        }

        var entries = await EntriesAsync(audited);
        Assert.Equal(4, entries.Count(e => e.Record.Action == AuditAction.Append));
        Assert.Equal(2, entries.Count(e => e.Record.Action == AuditAction.Read));
    }

    [Fact]
    public async Task Off_mode_records_nothing()
    {
        var store = await NewStoreAsync();
        var interceptor = new AuditInterceptor(store, new AuditOptions());
        Assert.False(interceptor.ObservesOperations);
        await using var audited = store.WithInterceptors(interceptor);
        await audited.AppendEventsAsync("audit-off", ExpectedVersion.NoStream, TestData.Json());
        await audited.ReadStreamListAsync("audit-off");
        await interceptor.FlushAsync(Ct);
        Assert.Null(await store.GetFeature<IAuditLogStore>()!.ReadAuditHeadAsync(Ct));
    }

    [Fact]
    public async Task Two_store_instances_writing_one_log_at_once_keep_one_valid_chain()
    {
        var first = await NewStoreAsync();
        var second = await Fixture.OpenSecondAsync(first, Ct);
        var options = Full with { MaxBatch = 7 };
        await using var a = first.WithAudit(options);
        await using var b = second.WithAudit(options);
        await Task.WhenAll(Task.Run(() => WorkAsync(a, 40, "audit-a-"), Ct), Task.Run(() => WorkAsync(b, 40, "audit-b-"), Ct));
        await Interceptor(a).FlushAsync(Ct);
        await Interceptor(b).FlushAsync(Ct);

        var report = await new AuditLogVerifier(first).VerifyAsync(cancellationToken: Ct);
        Assert.True(report.IsIntact, Describe(report));
        Assert.Equal((160L, 160L), (report.EntriesChecked, report.Head));
    }

    // Each round: one append and one read of its own stream.
    private static async Task WorkAsync(IEventStore audited, int rounds, string prefix = "audit-w-")
    {
        for (var i = 0; i < rounds; i++)
        {
            await audited.AppendEventsAsync(prefix + i, ExpectedVersion.NoStream, TestData.Json());
            await audited.ReadStreamListAsync(prefix + i);
        }
    }

    private static ValueTask FlushAsync(InterceptedEventStore audited) => Interceptor(audited).FlushAsync(Ct);

    private static async Task<List<AuditEntry>> EntriesAsync(InterceptedEventStore audited)
    {
        await FlushAsync(audited);
        var list = new List<AuditEntry>();
        await foreach (var e in audited.GetFeature<IAuditLogStore>()!.ReadAuditAsync(1, Ct))
        {
            list.Add(e);
        }

        return list;
    }

    private static AuditInterceptor Interceptor(InterceptedEventStore audited)
        => audited.Interceptors.OfType<AuditInterceptor>().Single();

    private static string Describe(AuditLogReport report) => string.Join("; ", report.Findings.Select(f => f.Message));
}
