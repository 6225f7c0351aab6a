using System.Collections.Concurrent;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>
/// Group commit: the first caller that finds no commit in progress becomes the leader and sends everything
/// queued as one call of append_many (one append alone: append), which PostgreSQL runs as one implicit
/// transaction in one round trip; callers arriving meanwhile queue up for the leader's next batch. A lone writer therefore commits
/// on its own task, with no hand-off. Each call keeps its own checks and returns a status, so one refused
/// append does not fail the others; results are handed out only after the batch's COMMIT succeeded.
/// Batches touch streams in name order, so batches of several nodes wait on each other's rows in one order.
/// </summary>
internal sealed class AppendCommitter : IAsyncDisposable
{
    // append_many's fallback runs each append in a subtransaction of its own; stay under the 64 cached per backend.
    private const int MaxAppendsPerBatch = 48;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PgSettings _settings;
    private readonly SqlText _sql;
    private readonly ConcurrentQueue<PendingAppend> _queue = new();
    private int _leading;
    private volatile bool _disposed;

    public AppendCommitter(NpgsqlDataSource dataSource, PgSettings settings, SqlText sql)
    {
        _dataSource = dataSource;
        _settings = settings;
        _sql = sql;
    }

    public async Task<AppendResult> AppendAsync(PendingAppend append, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        append.WatchCancellation(ct);
        _queue.Enqueue(append);
        if (Interlocked.CompareExchange(ref _leading, 1, 0) == 0)
        {
            await LeadAsync(append).ConfigureAwait(false);
        }

        return await append.Task.ConfigureAwait(false);
    }

    /// <summary>Commits batches until the queue is empty; once its own append is done it hands the rest to a pool thread.</summary>
    private async Task LeadAsync(PendingAppend? own)
    {
        var batch = new List<PendingAppend>(MaxAppendsPerBatch);
        while (true)
        {
            while (TakeBatch(batch))
            {
                try
                {
                    await CommitAsync(batch).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // Never leave the store without a leader: fail this batch and go on with the queue.
                    foreach (var append in batch)
                    {
                        append.Fail(PgErrors.Map(ex, _settings) ?? ex);
                    }
                }

                Deliver(batch, own);

                if (own is not null && own.Task.IsCompleted && !_queue.IsEmpty)
                {
                    _ = Task.Run(() => LeadAsync(null)); // leadership passes on; _leading stays 1
                    return;
                }
            }

            Volatile.Write(ref _leading, 0);
            // An append queued after the last take but before the release would have found a leader: recheck.
            if (_queue.IsEmpty || Interlocked.CompareExchange(ref _leading, 1, 0) != 0)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Hands out a finished batch's outcomes. The leader's own append completes here (nobody awaits it yet);
    /// the others complete in one pool work item, so callers' continuations never run on the committer and
    /// a batch of n appends costs one thread wake-up, not n.
    /// </summary>
    private static void Deliver(List<PendingAppend> batch, PendingAppend? own)
    {
        var others = new PendingAppend[own is not null && batch.Contains(own) ? batch.Count - 1 : batch.Count];
        var k = 0;
        foreach (var append in batch)
        {
            if (ReferenceEquals(append, own))
            {
                append.Publish();
            }
            else
            {
                others[k++] = append;
            }
        }

        if (others.Length > 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static list =>
            {
                foreach (var append in list)
                {
                    append.Publish();
                }
            }, others, preferLocal: false);
        }
    }

    private bool TakeBatch(List<PendingAppend> batch)
    {
        batch.Clear();
        var events = 0;
        while (batch.Count < MaxAppendsPerBatch && _queue.TryPeek(out var next))
        {
            if (batch.Count > 0 && events + next.Count > PendingAppend.MaxEventsPerTransaction)
            {
                break; // only the leader dequeues, so the peeked append is the one taken next time
            }

            _queue.TryDequeue(out _);
            if (next.TryTake())
            {
                batch.Add(next);
                events += next.Count;
            }
        }

        if (batch.Count > 1)
        {
            // Stable by stream name, so concurrent transactions lock streams in one order.
            var order = batch.Select((a, i) => (a, i)).OrderBy(x => x.a.StreamId, StringComparer.Ordinal).ThenBy(x => x.i).Select(x => x.a).ToList();
            batch.Clear();
            batch.AddRange(order);
        }

        return batch.Count > 0;
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

            append.Fail(new ConcurrencyException(append.StreamId, append.Expected, actual));
        }
        catch (Exception ex)
        {
            var error = PgErrors.Map(ex, _settings) ?? ex;
            foreach (var append in batch)
            {
                append.Fail(error);
            }
        }
    }

    private async Task ExecuteAsync(List<PendingAppend> batch)
    {
        var conn = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            try
            {
                await SendAsync(conn, batch).ConfigureAwait(false);
            }
            catch (NpgsqlException ex) when (PgErrors.OutcomeUnknown(ex, conn, _settings, batch[0].StreamId, batch.Count) is { } unknown)
            {
                throw unknown;
            }
        }
    }

    /// <summary>Runs the append on an open connection; a connection that breaks from here on leaves the outcome unknown.</summary>
    private async Task SendAsync(NpgsqlConnection conn, List<PendingAppend> batch)
    {
        var cmd = new NpgsqlBatch(conn);
        await using (cmd.ConfigureAwait(false))
        {
            // A lone append is one call of append(); several are one call of append_many(), one row each.
            cmd.BatchCommands.Add(batch.Count == 1
                ? batch[0].ToCommand(_sql["append"], _settings.Channel)
                : AppendBatchCommand.Create(batch, _sql["append_many"], _settings.Channel));

            var reader = await cmd.ExecuteReaderAsync().ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
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

                foreach (var append in batch)
                {
                    append.Committed();
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        while (Volatile.Read(ref _leading) != 0 || !_queue.IsEmpty)
        {
            if (Interlocked.CompareExchange(ref _leading, 1, 0) == 0)
            {
                await LeadAsync(null).ConfigureAwait(false);
            }
            else
            {
                await Task.Delay(1).ConfigureAwait(false);
            }
        }
    }
}
