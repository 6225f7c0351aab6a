using System.Text;
using Eventuali.Security.Encryption;
using Eventuali.Security.Keys;
using Eventuali.Snapshots;
using Eventuali.Typed;
using static Eventuali.Conformance.Security.SecurityTestKit;

namespace Eventuali.Conformance.Security;

/// <summary>
/// Key rotation, rewrap (including a crash part-way) and crypto-shredding on a backend. A backend whose storage can
/// be read raw overrides <see cref="DumpStorageAsync"/>, and the erasure test then proves that neither the subject's
/// plaintext nor its wrapped key is anywhere in it.
/// </summary>
public abstract class KeyLifecycleConformance<TFixture>(TFixture fixture) : KeyFileConformance<TFixture>(fixture)
    where TFixture : class, IStoreFixture
{
    private const string Marker = "ERASE-ME-MARKER-91c2";

    [Fact]
    public async Task Rotating_a_subject_key_uses_the_new_version_for_new_data_and_old_data_still_decrypts()
    {
        await using var store = await NewStoreAsync();
        var enc = Encrypt(store, KeyFile.Keys);
        await enc.Store.AppendAsync("conformance-rot-1", ExpectedVersion.Any, [Personal("subject-r", """{"email":"old@example.org"}""", "email")], Ct);
        Assert.Equal(2, await enc.RotateSubjectKeyAsync("subject-r", Ct));
        await enc.Store.AppendAsync("conformance-rot-1", ExpectedVersion.Any, [Personal("subject-r", """{"email":"new@example.org"}""", "email")], Ct);

        Assert.Equal(["1", "2"], (await ReadAsync(store, "conformance-rot-1", Ct)).Select(e => e.Metadata.Headers![KeyVersionHeader]));
        var fresh = Encrypt(store, KeyFile.Keys);
        Assert.Equal(["old@example.org", "new@example.org"], (await ReadAsync(fresh.Store, "conformance-rot-1", Ct)).Select(e => (string?)Json(e)["email"]));
    }

    [Fact]
    public async Task Rewrap_moves_every_key_to_the_active_kek_is_idempotent_and_lets_the_old_kek_go()
    {
        await using var store = await NewStoreAsync();
        var enc = Encrypt(store, KeyFile.Keys);
        for (var i = 0; i < 3; i++)
        {
            await enc.Store.AppendAsync($"conformance-rw-{i}", ExpectedVersion.Any, [Personal($"subject-{i}", $$"""{"email":"{{i}}@example.org"}""", "email")], Ct);
        }

        var old = KeyFile.Keys.ActiveKeyId;
        var next = KeyFile.Keys.AddKey();
        KeyFile.Keys.Promote(next);
        await enc.Store.AppendAsync("conformance-rw-3", ExpectedVersion.Any, [Personal("subject-3", """{"email":"3@example.org"}""", "email")], Ct);

        Assert.Equal(new RewrapResult(next, 3, 1, 0), await enc.RewrapAsync(Ct));
        Assert.Equal(new RewrapResult(next, 0, 4, 0), await enc.RewrapAsync(Ct));
        KeyFile.Keys.Remove(old);

        var reloaded = Encrypt(store, LocalKeyFile.Load(KeyFile.Keys.Path));
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal($"{i}@example.org", (string?)Json(Assert.Single(await ReadAsync(reloaded.Store, $"conformance-rw-{i}", Ct)))["email"]);
        }
    }

    [Fact]
    public async Task A_rewrap_that_fails_part_way_leaves_every_key_usable_and_a_second_run_finishes_it()
    {
        await using var store = await NewStoreAsync();
        var enc = Encrypt(store, KeyFile.Keys);
        for (var i = 0; i < 4; i++)
        {
            await enc.Store.AppendAsync($"conformance-crash-{i}", ExpectedVersion.Any, [Personal($"subject-{i}", $$"""{"email":"{{i}}@example.org"}""", "email")], Ct);
        }

        var old = KeyFile.Keys.ActiveKeyId;
        var next = KeyFile.Keys.AddKey();
        KeyFile.Keys.Promote(next);
        var crashing = Encrypt(store, new FailingAfterWraps(KeyFile.Keys, 2));
        var error = await Assert.ThrowsAsync<KeyProviderException>(async () => await crashing.RewrapAsync(Ct));
        Assert.True(error.IsTransient);

        var kekIds = new List<string>();
        await foreach (var k in enc.Keys.ListDataKeysAsync(Ct))
        {
            kekIds.Add(k.KekId);
        }

        Assert.Equal(2, kekIds.Count(k => k == next));
        Assert.Equal(2, kekIds.Count(k => k == old));
        var reader = Encrypt(store, KeyFile.Keys);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal($"{i}@example.org", (string?)Json(Assert.Single(await ReadAsync(reader.Store, $"conformance-crash-{i}", Ct)))["email"]);
        }

        Assert.Equal(new RewrapResult(next, 2, 2, 0), await enc.RewrapAsync(Ct));
    }

    [Fact]
    public async Task Erasing_a_subject_shreds_its_keys_redacts_its_data_and_leaves_another_subject_intact()
    {
        await using var store = await NewStoreAsync();
        var enc = Encrypt(store, KeyFile.Keys);
        var erased = Customer.Register("gone", $"gone-{Marker}@example.org", $"Gone {Marker}", 1);
        var kept = Customer.Register("kept", "kept@example.org", "Kept Person", 3);
        await enc.Store.SaveAsync(erased, cancellationToken: Ct);
        await enc.Store.SaveAsync(kept, cancellationToken: Ct);
        kept.ChangeEmail("kept2@example.org");
        await enc.Store.SaveAsync(kept, cancellationToken: Ct);
        await enc.Store.TakeSnapshotAsync(erased, SnapshotCodec.None, Ct);
        await enc.Store.TakeSnapshotAsync(kept, SnapshotCodec.None, Ct);
        var wrapped = Assert.Single(await enc.Keys.GetDataKeysAsync("gone", Ct)).WrappedKey.ToArray();
        var keptKey = Assert.Single(await enc.Keys.GetDataKeysAsync("kept", Ct));

        var erasure = await enc.EraseSubjectAsync("gone", Ct);
        Assert.Equal((1, 1), (erasure.KeysDestroyed, erasure.SnapshotsDeleted));
        Assert.Equal(["conformance-customer-gone"], erasure.Streams);
        Assert.Empty(await enc.Keys.GetDataKeysAsync("gone", Ct));
        Assert.Equal(keptKey.WrappedKey.ToArray(), Assert.Single(await enc.Keys.GetDataKeysAsync("kept", Ct)).WrappedKey.ToArray());

        // Readers in this process and a new one see the redaction marker; the other subject reads as before.
        foreach (var reader in new[] { enc, Encrypt(store, KeyFile.Keys) })
        {
            var redacted = Assert.Single(await ReadAsync(reader.Store, "conformance-customer-gone", Ct));
            Assert.Equal((EncryptionHeaders.RedactionMarker, EncryptionHeaders.RedactionMarker), ((string?)Json(redacted)["email"], (string?)Json(redacted)["name"]));
            Assert.Equal("email,name", redacted.Metadata.Headers![EncryptionHeaders.Redacted]);
            var gone = await reader.Store.LoadWithReportAsync<Customer>("gone", cancellationToken: Ct);
            Assert.Equal((EncryptionHeaders.RedactionMarker, 1, (long?)null), (gone.Aggregate.Email, gone.Aggregate.Tier, gone.SnapshotVersion));
            var other = await reader.Store.LoadWithReportAsync<Customer>("kept", cancellationToken: Ct);
            Assert.Equal(("kept2@example.org", "Kept Person", (long?)2), (other.Aggregate.Email, other.Aggregate.Name, other.SnapshotVersion));
        }

        var strict = Encrypt(store, KeyFile.Keys, o => o with { Redaction = RedactionPolicy.Throw });
        await Assert.ThrowsAsync<EventDecryptionException>(async () => await ReadAsync(strict.Store, "conformance-customer-gone", Ct));

        // No new personal data for an erased subject; a repeated erasure destroys nothing and appends the fact once.
        await Assert.ThrowsAsync<DataSubjectErasedException>(async () => await enc.Store.AppendAsync("conformance-customer-gone", ExpectedVersion.Any, [Personal("gone", """{"email":"again@example.org"}""", "email")], Ct));
        Assert.Equal(1, await store.GetStreamVersionAsync("conformance-customer-gone", Ct));
        Assert.Equal(0, (await enc.EraseSubjectAsync("gone", Ct)).KeysDestroyed);
        var fact = Assert.Single(await ReadAsync(store, DataSubjectErasedFact.StreamId, Ct));
        Assert.Equal(DataSubjectErasedFact.EventType, fact.EventType);
        Assert.Equal("gone", (string?)Json(fact)["subjectId"]);

        if (await DumpStorageAsync(store) is { } dump)
        {
            Assert.False(Holds(dump, Encoding.UTF8.GetBytes(Marker)), "the subject's plaintext is still in storage");
            Assert.False(Holds(dump, wrapped), "the subject's wrapped data key is still in storage");
            Assert.True(Holds(dump, keptKey.WrappedKey.ToArray()), "the dump does not show the other subject's key, so it cannot prove anything");
        }
    }

    [Fact]
    public async Task Export_returns_every_event_about_a_subject_decrypted_and_the_report_lists_keys_and_erasures()
    {
        await using var store = await NewStoreAsync();
        var enc = Encrypt(store, KeyFile.Keys);
        await enc.Store.AppendAsync("conformance-gdpr-a", ExpectedVersion.Any, [Personal("subject-e", """{"email":"e1@example.org"}""", "email"), Personal("subject-f", """{"email":"f@example.org"}""", "email")], Ct);
        await enc.Store.AppendAsync("conformance-gdpr-b", ExpectedVersion.Any, [Personal("subject-e", """{"email":"e2@example.org"}""", "email")], Ct);
        var exported = new List<string?>();
        await foreach (var e in enc.ExportSubjectAsync("subject-e", Ct))
        {
            exported.Add((string?)Json(e)["email"]);
        }

        Assert.Equal(["e1@example.org", "e2@example.org"], exported);
        await enc.EraseSubjectAsync("subject-f", Ct);
        var report = await enc.ReportAsync(Ct);
        Assert.Equal(KeyFile.Keys.ActiveKeyId, report.ActiveKeyId);
        Assert.Equal(["subject-e"], report.DataKeys.Select(k => k.SubjectId));
        Assert.Equal(["subject-f"], report.ErasedSubjects.Select(e => e.SubjectId));
        Assert.Equal(report.StoreId, await enc.Keys.GetStoreIdAsync(Ct));
    }
}
