using System.Text;
using Eventuali.Projections;
using Eventuali.Security.Encryption;
using static Eventuali.Conformance.ProjectionTestData;
using static Eventuali.Conformance.Security.SecurityTestKit;

namespace Eventuali.Conformance.Security;

/// <summary>
/// Erasure reaches past the events: the read-model documents a projection wrote for the subject are deleted, and
/// handler errors quoting its plaintext (dead letters, a stopped projection) are redacted, while another subject's
/// documents and errors stay as they were. A backend whose storage can be read raw overrides
/// <see cref="DumpStorageAsync"/>: the erased subject's marker must then be nowhere in it, the other's still there.
/// </summary>
public abstract class ErasureScrubConformance<TFixture>(TFixture fixture) : KeyFileConformance<TFixture>(fixture)
    where TFixture : class, IStoreFixture
{
    private const string Gone = "SCRUB-GONE-MARKER-4f1a";
    private const string Kept = "SCRUB-KEPT-MARKER-77be";

    [Fact]
    public async Task Erasure_deletes_the_subjects_documents_and_redacts_errors_quoting_it_and_nothing_of_another_subject()
    {
        await using var store = await NewStoreAsync();
        var enc = Encrypt(store, KeyFile.Keys);

        // An inline projection writes in the append's own transaction; it records its documents' subjects there too.
        await enc.Store.GetFeature<IInlineProjectionStore>()!.AddInlineProjectionAsync(new ProfileProjection("scrub-inline", ProjectionFailureAction.Stop, throws: false), Ct);
        await enc.Store.AppendAsync("scrub-gone", ExpectedVersion.Any, [Personal("gone", $$"""{"email":"{{Gone}}@example.org"}""", "email")], Ct);
        await enc.Store.AppendAsync("scrub-kept", ExpectedVersion.Any, [Personal("kept", $$"""{"email":"{{Kept}}@example.org"}""", "email")], Ct);
        await enc.Store.AppendAsync("scrub-plain", ExpectedVersion.Any, [new EventData(EventData.NewEventId(), "conformance.signed-up", """{"email":"nobody"}"""u8.ToArray())], Ct);
        await enc.Store.AppendAsync("scrub-gone-poison", ExpectedVersion.Any, [Personal("gone", $$"""{"email":"poison-{{Gone}}"}""", "email")], Ct);
        await enc.Store.AppendAsync("scrub-kept-poison", ExpectedVersion.Any, [Personal("kept", $$"""{"email":"poison-{{Kept}}"}""", "email")], Ct);

        var profiles = new ProfileProjection("scrub-profiles", ProjectionFailureAction.DeadLetter);
        await using (var daemon = new ProjectionDaemon(enc.Store, [profiles, new ProfileProjection("scrub-stopper", ProjectionFailureAction.Stop)], FastOptions()))
        {
            await daemon.StartAsync(Ct);
            Assert.Equal(2, (await CatchUpAsync(daemon, "scrub-profiles")).DeadLetters);
            await UntilFaultedAsync(store, "scrub-stopper");
        }

        var projections = store.GetProjectionStore();
        Assert.Contains(Gone, await projections.GetProjectionDocumentAsync("scrub-profiles", "scrub-gone", Ct), StringComparison.Ordinal);
        Assert.Contains(Gone, await projections.GetProjectionDocumentAsync("scrub-inline", "scrub-gone-poison", Ct), StringComparison.Ordinal);
        var before = await projections.ReadDeadLettersAsync("scrub-profiles", Ct);
        Assert.Contains(Gone, before.Single(d => d.StreamId == "scrub-gone-poison").Error, StringComparison.Ordinal);
        Assert.Contains(Gone, (await store.GetProjectionStatusAsync("scrub-stopper", Ct))!.Error, StringComparison.Ordinal);

        // A GDPR export lists the documents written for the subject, and only those.
        var exported = await enc.ExportSubjectDocumentsAsync("gone", Ct);
        Assert.Equal(4, exported.Count);
        Assert.All(exported, d => Assert.Contains(Gone, d.Json, StringComparison.Ordinal));
        Assert.Equal(exported.OrderBy(d => d.Projection, StringComparer.Ordinal).ThenBy(d => d.Key, StringComparer.Ordinal), exported);

        var erasure = await enc.EraseSubjectAsync("gone", Ct);
        Assert.Equal((4, 2), (erasure.DocumentsDeleted, erasure.ErrorsRedacted));
        Assert.Empty(await enc.ExportSubjectDocumentsAsync("gone", Ct));
        Assert.NotEmpty(await enc.ExportSubjectDocumentsAsync("kept", Ct));

        // The subject's document is gone; the other subject's and the one about nobody stay.
        Assert.Null(await projections.GetProjectionDocumentAsync("scrub-profiles", "scrub-gone", Ct));
        Assert.Null(await projections.GetProjectionDocumentAsync("scrub-stopper", "scrub-gone", Ct));
        Assert.Null(await projections.GetProjectionDocumentAsync("scrub-inline", "scrub-gone-poison", Ct));
        Assert.Contains(Kept, await projections.GetProjectionDocumentAsync("scrub-inline", "scrub-kept-poison", Ct), StringComparison.Ordinal);
        Assert.Contains(Kept, await projections.GetProjectionDocumentAsync("scrub-profiles", "scrub-kept", Ct), StringComparison.Ordinal);
        Assert.NotNull(await projections.GetProjectionDocumentAsync("scrub-profiles", "scrub-plain", Ct));

        // Dead letters keep their identity (so a retry works) but not the text; the other subject's keeps its text.
        var after = await projections.ReadDeadLettersAsync("scrub-profiles", Ct);
        var redacted = after.Single(d => d.StreamId == "scrub-gone-poison");
        var original = before.Single(d => d.StreamId == "scrub-gone-poison");
        Assert.Equal((original.Id, original.Position, original.EventId, ProjectionErasureResult.RedactionMarker), (redacted.Id, redacted.Position, redacted.EventId, redacted.Error));
        Assert.Contains(Kept, after.Single(d => d.StreamId == "scrub-kept-poison").Error, StringComparison.Ordinal);
        Assert.Equal(ProjectionErasureResult.RedactionMarker, (await store.GetProjectionStatusAsync("scrub-stopper", Ct))!.Error);

        if (await DumpStorageAsync(store) is { } dump)
        {
            Assert.True(Holds(dump, Encoding.UTF8.GetBytes(Kept)), "the dump does not show the other subject's documents or errors, so it cannot prove anything");
            Assert.False(Holds(dump, Encoding.UTF8.GetBytes(Gone)), "the erased subject's plaintext is still in storage");
        }

        // A retry reads the event again, redacted: the handler no longer fails and the dead letter goes.
        Assert.Equal(1, await projections.RequestDeadLetterRetryAsync("scrub-profiles", redacted.Id, Ct));
        await using (var daemon = new ProjectionDaemon(enc.Store, [new ProfileProjection("scrub-profiles", ProjectionFailureAction.DeadLetter)], FastOptions()))
        {
            await daemon.StartAsync(Ct);
            await UntilAsync(async () => (await projections.ReadDeadLettersAsync("scrub-profiles", Ct)).Count == 1, "the retried dead letter to go");
        }

        Assert.Contains(EncryptionHeaders.RedactionMarker, await projections.GetProjectionDocumentAsync("scrub-profiles", "scrub-gone-poison", Ct), StringComparison.Ordinal);

        // Erasing again destroys no key and finds no error text left to redact.
        var again = await enc.EraseSubjectAsync("gone", Ct);
        Assert.Equal((0, 0), (again.KeysDestroyed, again.ErrorsRedacted));
    }

    private static async Task UntilFaultedAsync(IEventStore store, string name)
        => await UntilAsync(async () => (await store.GetProjectionStatusAsync(name, Ct))?.State == ProjectionState.Faulted, $"projection '{name}' to stop");

    private static async Task UntilAsync(Func<Task<bool>> done, string what)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (!await done())
        {
            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                Assert.Fail($"Timed out waiting for {what}.");
            }
        }
    }

    /// <summary>One document per stream holding the event's email; unless told not to, an email starting "poison-" makes the handler throw with it in the message.</summary>
    private sealed class ProfileProjection : Projection
    {
        public ProfileProjection(string name, ProjectionFailureAction onFailure, bool throws = true)
            : base(name)
        {
            FailurePolicy = new ProjectionFailurePolicy { MaxAttempts = 1, InitialBackoff = TimeSpan.FromMilliseconds(2), OnFailure = onFailure };
            StreamIdPrefix = "scrub-";
            On("conformance.signed-up", async (e, ctx, ct) =>
            {
                var email = (string?)Json(e)["email"] ?? string.Empty;
                if (throws && email.StartsWith("poison-", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"cannot project the profile of {email}");
                }

                await ctx.Documents.PutAsync(e.StreamId, $$"""{"email":"{{email}}"}""", ct);
            });
        }
    }
}
