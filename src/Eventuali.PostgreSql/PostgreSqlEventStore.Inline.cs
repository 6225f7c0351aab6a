using Eventuali.Projections;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>
/// Inline projections on PostgreSQL: once one is registered, each append runs in an explicit transaction of its
/// own (the append function, then the handlers on the same connection, then COMMIT) instead of group commit.
/// </summary>
public sealed partial class PostgreSqlEventStore : IInlineProjectionStore
{
    private volatile InlineProjectionSet? _inline;
    private readonly Lock _inlineGate = new();

    /// <inheritdoc />
    public async ValueTask AddInlineProjectionAsync(Projection projection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projection);
        var head = await GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
        await OnConnectionAsync(async (c, ct) => await PgProjectionDb.ExecuteAsync(c, null, ProjectionStatements["inline_register"], ct,
            PgProjectionDb.Text(projection.Name), PgProjectionDb.Long(head), PgProjectionDb.Time(Options.TimeProvider.GetUtcNow())).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        lock (_inlineGate)
        {
            _inline = InlineProjectionSet.With(_inline, projection);
        }
    }

    private async Task<AppendResult> AppendInlineAsync(PendingAppend pending, IReadOnlyList<EventData> events, CancellationToken ct)
    {
        var inline = _inline!;
        try
        {
            var conn = PgTenantScope.Mark(await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false), _settings);
            await using (conn.ConfigureAwait(false))
            {
                var tx = await PgTenantScope.BeginAsync(conn, ct).ConfigureAwait(false);
                await using (tx.ConfigureAwait(false))
                {
                    int status;
                    var batch = new NpgsqlBatch(conn, tx);
                    await using (batch.ConfigureAwait(false))
                    {
                        batch.BatchCommands.Add(pending.ToCommand(_sql["append"], _settings.Channel));
                        if (AppendBatchCommand.SubjectStreams([pending], _sql["subject_streams_add_many"]) is { } subjects)
                        {
                            batch.BatchCommands.Add(subjects);
                        }

                        // A tenant's store: quota check first, usage record last, in the same transaction.
                        var (reads, admits) = _settings.Meter?.AddTo(batch, [pending], _sql) ?? (0, false);
                        NpgsqlDataReader reader;
                        try
                        {
                            reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
                        }
                        catch
                        {
                            _settings.Meter?.ReturnReads(reads);
                            throw;
                        }

                        await using (reader.ConfigureAwait(false))
                        {
                            if (admits)
                            {
                                await reader.NextResultAsync(ct).ConfigureAwait(false);
                            }

                            await reader.ReadAsync(ct).ConfigureAwait(false);
                            status = reader.GetInt32(0);
                            pending.Stage(reader);
                        }
                    }

                    if (status == 0 && inline.AnyHandles(pending.StreamId, events))
                    {
                        pending.Publish(); // completes the task with the staged result, read below
                        var result = await pending.Task.ConfigureAwait(false);
                        await inline.RunAsync(Records(pending, events, result), p => new PgProjectionTransaction(p.Name, "inline", Options.TimeProvider, ProjectionStatements, conn, tx, inline: true), ct).ConfigureAwait(false);
                        await PgTenantScope.VerifyAsync(conn, tx, ct).ConfigureAwait(false);
                        await tx.CommitAsync(ct).ConfigureAwait(false);
                        _settings.Meter?.Committed([pending]);
                        return result;
                    }

                    if (status == 0)
                    {
                        await tx.CommitAsync(ct).ConfigureAwait(false);
                        _settings.Meter?.Committed([pending]);
                    }
                }
            }
        }
        catch (PostgresException ex) when (_settings.Meter?.QuotaError(ex) is { } refused)
        {
            throw refused;
        }
        catch (NpgsqlException ex) when (PgErrors.Map(ex, _settings) is { } mapped)
        {
            throw mapped;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // A concurrent append took the version first.
            throw new ConcurrencyException(pending.StreamId, pending.Expected, await GetStreamVersionAsync(pending.StreamId, CancellationToken.None).ConfigureAwait(false));
        }

        pending.Publish();
        return await pending.Task.ConfigureAwait(false);
    }

    private static RecordedEvent[] Records(PendingAppend pending, IReadOnlyList<EventData> events, AppendResult result)
    {
        var records = new RecordedEvent[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            records[i] = new RecordedEvent(pending.StreamId, result.StreamVersion - events.Count + 1 + i, result.LastPosition - events.Count + 1 + i,
                e.EventId, e.EventType, e.Data, e.Metadata, pending.Timestamp, e.ContentType);
        }

        return records;
    }
}
