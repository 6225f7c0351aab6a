using Eventuali.DataKeys;
using Eventuali.Projections;

namespace Eventuali.PostgreSql;

/// <summary>Erasure of what projections keep about a subject (migration 012), in one transaction, then a vacuum of the tables it touched.</summary>
public sealed partial class PostgreSqlEventStore : IProjectionErasure
{
    /// <inheritdoc />
    public async ValueTask<ProjectionErasureResult> EraseSubjectDataAsync(string subjectId, IReadOnlyCollection<string> streamIds, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        ArgumentNullException.ThrowIfNull(streamIds);
        var sql = ProjectionStatements;
        var result = await OnConnectionAsync(async (c, ct) =>
        {
            var tx = await PgTenantScope.BeginAsync(c, ct).ConfigureAwait(false);
            await using (tx.ConfigureAwait(false))
            {
                var documents = await PgProjectionDb.ExecuteAsync(c, tx, sql["erase_subject_documents"], ct, PgProjectionDb.Text(subjectId)).ConfigureAwait(false);
                await PgProjectionDb.ExecuteAsync(c, tx, sql["erase_subject_document_records"], ct, PgProjectionDb.Text(subjectId)).ConfigureAwait(false);
                var (letters, errors) = (0, 0);
                foreach (var stream in streamIds)
                {
                    letters += await PgProjectionDb.ExecuteAsync(c, tx, sql["redact_dead_letters"], ct, PgProjectionDb.Text(stream), PgProjectionDb.Text(ProjectionErasureResult.RedactionMarker)).ConfigureAwait(false);
                    errors += await PgProjectionDb.ExecuteAsync(c, tx, sql["redact_projection_errors"], ct, PgProjectionDb.Text(ProjectionErasureResult.StreamMention(stream)), PgProjectionDb.Text(ProjectionErasureResult.RedactionMarker)).ConfigureAwait(false);
                }

                await tx.CommitAsync(ct).ConfigureAwait(false);
                return new ProjectionErasureResult(documents, letters, errors);
            }
        }, cancellationToken).ConfigureAwait(false);
        if (result != new ProjectionErasureResult(0, 0, 0))
        {
            try
            {
                await OnConnectionAsync(async (c, ct) => await PgProjectionDb.ExecuteAsync(c, null, sql["erasure_vacuum"], ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is EventualiException or Npgsql.NpgsqlException)
            {
                // A role that may not vacuum leaves the dead rows to autovacuum; the text is already gone from every read.
            }
        }

        return result;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<SubjectDocument>> GetSubjectDocumentsAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        var sql = ProjectionStatements["subject_documents"];
        return await OnConnectionAsync(
            async (c, ct) => await PgProjectionDb.QueryAsync(c, null, sql, r => new SubjectDocument(r.GetString(0), r.GetString(1), r.GetString(2)), ct, PgProjectionDb.Text(subjectId)).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
    }
}
