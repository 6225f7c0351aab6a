namespace Eventuali.Projections;

/// <summary>
/// Removes what projections keep about a data subject whose keys were destroyed: the built-in read-model documents
/// written while applying events about that subject (see <see cref="IProjectionDocumentSubjects"/>), and the error
/// text of dead letters and stopped projections whose event lies in one of the subject's streams (a handler's
/// exception message may quote the event's plaintext). Other subjects' documents and errors are untouched. Found with
/// <c>store.GetFeature&lt;IProjectionErasure&gt;()</c>; memory, SQLite and PostgreSQL implement it.
/// </summary>
public interface IProjectionErasure
{
    /// <summary>
    /// Deletes every document recorded as written for <paramref name="subjectId"/> (with its subject records), and
    /// replaces with <see cref="ProjectionErasureResult.RedactionMarker"/> the error of every dead letter of
    /// <paramref name="streamIds"/> and of every projection stopped on an event of them. Dead letters keep their
    /// position and ids, so a retry still works (it reads the event again, redacted). Idempotent.
    /// </summary>
    ValueTask<ProjectionErasureResult> EraseSubjectDataAsync(string subjectId, IReadOnlyCollection<string> streamIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every built-in read-model document recorded as written for <paramref name="subjectId"/> (what a GDPR export
    /// shows beside the subject's events), ordered by projection and key.
    /// </summary>
    ValueTask<IReadOnlyList<SubjectDocument>> GetSubjectDocumentsAsync(string subjectId, CancellationToken cancellationToken = default);
}

/// <summary>A read-model document holding data derived from a subject's events.</summary>
/// <param name="Projection">The projection that wrote it.</param>
/// <param name="Key">Its key in that projection's read model.</param>
/// <param name="Json">The document, as stored.</param>
public sealed record SubjectDocument(string Projection, string Key, string Json);

/// <summary>
/// A projection transaction that records which documents it wrote while applying an event about a data subject,
/// in the same transaction, so <see cref="IProjectionErasure"/> can find them. The projection context calls it on
/// every document written while the event being applied names a subject (header <see cref="DataKeys.DataSubjectHeader.Name"/>).
/// </summary>
public interface IProjectionDocumentSubjects
{
    /// <summary>Records that the document at <paramref name="key"/> holds data derived from <paramref name="subjectId"/>'s events (idempotent).</summary>
    ValueTask RecordDocumentSubjectAsync(string key, string subjectId, CancellationToken cancellationToken = default);
}

/// <summary>What <see cref="IProjectionErasure.EraseSubjectDataAsync"/> removed.</summary>
/// <param name="DocumentsDeleted">Read-model documents deleted.</param>
/// <param name="DeadLettersRedacted">Dead letters whose error text was replaced.</param>
/// <param name="ProjectionErrorsRedacted">Stopped projections whose error text was replaced.</param>
public sealed record ProjectionErasureResult(int DocumentsDeleted, int DeadLettersRedacted, int ProjectionErrorsRedacted)
{
    /// <summary>The text a redacted error reads as.</summary>
    public const string RedactionMarker = "[redacted]";

    /// <summary>The part of a stopped projection's error that names the failing event's stream (see the projection runner).</summary>
    public static string StreamMention(string streamId) => $", stream {streamId}) failed ";
}
