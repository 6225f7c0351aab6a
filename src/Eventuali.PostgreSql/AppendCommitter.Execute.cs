using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>One batch's round trip: append_many (or append alone), with a retry per append when the batch as a whole fails.</summary>
internal sealed partial class AppendCommitter
{
    private async Task CommitAsync(List<PendingAppend> batch, int lane)
    {
        try
        {
            await ExecuteAsync(batch, lane).ConfigureAwait(false);
        }
        catch (PostgresException) when (batch.Count > 1)
        {
            // The whole transaction rolled back; run each append alone so only the faulty one fails.
            foreach (var one in batch)
            {
                await CommitAsync([one], lane).ConfigureAwait(false);
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Lost the same race too many times in a row: report the stream's version now.
            var append = batch[0];
            long? actual = null;
            try
            {
                var conn = PgTenantScope.Mark(await _dataSource.OpenConnectionAsync().ConfigureAwait(false), _settings);
                await using (conn.ConfigureAwait(false))
                {
                    var cmd = PgTenantScope.Batch(conn, null, _sql["stream_version"], new NpgsqlParameter<string> { TypedValue = append.StreamId });
                    await using (cmd.ConfigureAwait(false))
                    {
                        actual = await cmd.ExecuteScalarAsync().ConfigureAwait(false) is long v ? v : null;
                    }
                }
            }
            catch (NpgsqlException)
            {
                // Keep the conflict; the actual version is best effort here.
            }

            append.Fail(new ConcurrencyException(append.StreamId, append.Expected, actual));
        }
        catch (Exception ex)
        {
            var error = _settings.Meter?.QuotaError(ex) ?? PgErrors.Map(ex, _settings) ?? ex;
            foreach (var append in batch)
            {
                append.Fail(error);
            }
        }
    }

    private async Task ExecuteAsync(List<PendingAppend> batch, int lane)
    {
        var conn = PgTenantScope.Mark(await _dataSource.OpenConnectionAsync().ConfigureAwait(false), _settings);
        await using (conn.ConfigureAwait(false))
        {
            try
            {
                await SendAsync(conn, batch, lane).ConfigureAwait(false);
            }
            catch (NpgsqlException ex) when (PgErrors.OutcomeUnknown(ex, conn, _settings, batch[0].StreamId, batch.Count) is { } unknown)
            {
                throw unknown;
            }
        }
    }

    /// <summary>Runs the append on an open connection; a connection that breaks from here on leaves the outcome unknown.</summary>
    private async Task SendAsync(NpgsqlConnection conn, List<PendingAppend> batch, int lane)
    {
        var cmd = new NpgsqlBatch(conn);
        await using (cmd.ConfigureAwait(false))
        {
            // A lone append is one call of append(); several are one call of append_many(), one row each.
            cmd.BatchCommands.Add(batch.Count == 1
                ? batch[0].ToCommand(_sql["append"], _settings.Channel)
                : AppendBatchCommand.Create(batch, _sql["append_many"], _settings.Channel));
            if (AppendBatchCommand.SubjectStreams(batch, _sql["subject_streams_add_many"]) is { } subjects)
            {
                cmd.BatchCommands.Add(subjects);
            }

            // A tenant's store: the quota check leads the round trip, the usage record ends it, one transaction.
            var (reads, admits) = _settings.Meter?.AddTo(cmd, batch, _sql, lane) ?? (0, false);

            // A tenant's store in shared tables: the tenant is set before anything else, the quota check included
            // (one committer per tenant store, so a batch holds one tenant's appends).
            PgTenantScope.Lead(cmd, conn);
            try
            {
                await ReadOutcomesAsync(cmd, batch, admits).ConfigureAwait(false);
            }
            catch
            {
                _settings.Meter?.ReturnReads(reads);
                throw;
            }
        }
    }

    private async Task ReadOutcomesAsync(NpgsqlBatch cmd, List<PendingAppend> batch, bool admits)
    {
        var reader = await cmd.ExecuteReaderAsync().ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            if (admits)
            {
                await reader.NextResultAsync().ConfigureAwait(false); // past the quota check's empty result
            }

            foreach (var append in batch)
            {
                if (!await reader.ReadAsync().ConfigureAwait(false))
                {
                    throw new InvalidOperationException($"The append function returned no row for the append to stream '{append.StreamId}'.");
                }

                append.Stage(reader);
            }

            // Consume to ReadyForQuery: only then has the implicit transaction committed.
            while (await reader.NextResultAsync().ConfigureAwait(false))
            {
            }

            Telemetry?.RecordGroupCommit(batch.Count);
            foreach (var append in batch)
            {
                append.Committed();
            }

            _settings.Meter?.Committed(batch);
        }
    }
}
