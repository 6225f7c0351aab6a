using Eventuali.DataKeys;
using Eventuali.Projections;

namespace Eventuali.Sqlite;

/// <summary>
/// Erasure of what projections keep about a subject (migration 012), on the connection data keys use, which runs with
/// secure_delete on, then the write-ahead log is emptied, so neither the deleted documents nor the replaced error
/// text linger in the file.
/// </summary>
public sealed partial class SqliteEventStore : IProjectionErasure
{
    /// <inheritdoc />
    public async ValueTask<ProjectionErasureResult> EraseSubjectDataAsync(string subjectId, IReadOnlyCollection<string> streamIds, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        ArgumentNullException.ThrowIfNull(streamIds);
        var marker = ProjectionErasureResult.RedactionMarker;
        var result = RunCheckpoint(
            c =>
            {
                using var transaction = c.BeginTransaction(deferred: false);
                var documents = SqliteProjectionDb.Execute(c, transaction, "erase_subject_documents", subjectId);
                SqliteProjectionDb.Execute(c, transaction, "erase_subject_document_records", subjectId);
                var (letters, errors) = (0, 0);
                foreach (var stream in streamIds)
                {
                    letters += SqliteProjectionDb.Execute(c, transaction, "redact_dead_letters", stream, marker);
                    errors += SqliteProjectionDb.Execute(c, transaction, "redact_projection_errors", ProjectionErasureResult.StreamMention(stream), marker);
                }

                transaction.Commit();
                return new ProjectionErasureResult(documents, letters, errors);
            },
            cancellationToken);
        await TruncateWalAsync(subjectId, "its projection data is deleted", cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SubjectDocument>> GetSubjectDocumentsAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        return ValueTask.FromResult<IReadOnlyList<SubjectDocument>>(RunCheckpoint(
            c => SqliteProjectionDb.Query(c, null, "subject_documents", r => new SubjectDocument(r.GetString(0), r.GetString(1), r.GetString(2)), subjectId),
            cancellationToken));
    }
}
