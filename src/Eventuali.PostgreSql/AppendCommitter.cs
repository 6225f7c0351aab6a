using System.Threading.Channels;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>
/// Group commit: one loop takes every append queued while the previous transaction was in flight and sends
/// them as one batch of function calls, which PostgreSQL runs as one implicit transaction in one round trip.
/// Each call keeps its own checks and returns a status, so one refused append does not fail the others;
/// callers get their results only after the batch's COMMIT succeeded.
/// </summary>
internal sealed class AppendCommitter : IAsyncDisposable
{
    private const int MaxAppendsPerBatch = 48; // each append is a subtransaction; stay under the 64 cached per backend

    private readonly NpgsqlDataSource _dataSource;
    private readonly PgSettings _settings;
    private readonly SqlText _sql;
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public AppendCommitter(NpgsqlDataSource dataSource, PgSettings settings, SqlText sql)
    {
        _dataSource = dataSource;
        _settings = settings;
        _sql = sql;
        _loop = Task.Run(RunAsync);
    }

    public Task<AppendResult> EnqueueAsync(PendingAppend append, CancellationToken ct)
    {
        append.WatchCancellation(ct);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(append), this);

        return append.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingAppend>(MaxAppendsPerBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            var events = 0;
            while (batch.Count < MaxAppendsPerBatch && reader.TryPeek(out var next))
            {
                if (batch.Count > 0 && events + next.Count > PendingAppend.MaxEventsPerTransaction)
                {
                    break;
                }

                reader.TryRead(out _);
                if (next.TryTake())
                {
                    batch.Add(next);
                    events += next.Count;
                }
            }

            if (batch.Count > 0)
            {
                await CommitAsync(batch).ConfigureAwait(false);
            }
        }
    }

    private async Task CommitAsync(List<PendingAppend> batch)
    {
        try
        {
            await ExecuteAsync(batch).ConfigureAwait(false);
        }
        catch (PostgresException) when (batch.Count > 1)
        {
            // The whole transaction rolled back; run each append alone so only the faulty one fails.
            foreach (var one in batch)
            {
                await CommitAsync([one]).ConfigureAwait(false);
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Lost the same race too many times in a row: report the stream's version now.
            var append = batch[0];
            long? actual = null;
            try
            {
                var conn = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
                await using (conn.ConfigureAwait(false))
                {
                    var cmd = new NpgsqlCommand(_sql["stream_version"], conn);
                    await using (cmd.ConfigureAwait(false))
                    {
                        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = append.StreamId });
                        actual = await cmd.ExecuteScalarAsync().ConfigureAwait(false) is long v ? v : null;
                    }
                }
            }
            catch (NpgsqlException)
            {
                // Keep the conflict; the actual version is best effort here.
            }

            append.TrySetException(new ConcurrencyException(append.StreamId, append.Expected, actual));
        }
        catch (Exception ex)
        {
            var error = PgErrors.Map(ex, _settings) ?? ex;
            foreach (var append in batch)
            {
                append.TrySetException(error);
            }
        }
    }

    private async Task ExecuteAsync(List<PendingAppend> batch)
    {
        var conn = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            var cmd = new NpgsqlBatch(conn);
            await using (cmd.ConfigureAwait(false))
            {
                var n = 1;
                for (var i = 0; i < batch.Count; i++)
                {
                    cmd.BatchCommands.Add(batch[i].ToCommand(_sql["append"], n, i == batch.Count - 1 ? _settings.Channel : null));
                    n += batch[i].Count;
                }

                var reader = await cmd.ExecuteReaderAsync().ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    for (var i = 0; i < batch.Count; i++)
                    {
                        if (i > 0)
                        {
                            await reader.NextResultAsync().ConfigureAwait(false);
                        }

                        await reader.ReadAsync().ConfigureAwait(false);
                        batch[i].Stage(reader);
                    }

                    // Consume to ReadyForQuery: only then has the implicit transaction committed.
                    while (await reader.NextResultAsync().ConfigureAwait(false))
                    {
                    }
                }

                foreach (var append in batch)
                {
                    append.Publish();
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }
}
