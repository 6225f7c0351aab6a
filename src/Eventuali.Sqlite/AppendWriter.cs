using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Eventuali.Sqlite;

/// <summary>
/// The store's single writer: appends from any number of callers queue here and one thread runs
/// whatever is queued (up to <see cref="MaxBatchEvents"/>) in ONE transaction (group commit).
/// Each append runs under its own savepoint, so one conflict fails only that append. Callers are
/// completed only after COMMIT returns.
/// </summary>
internal sealed class AppendWriter : IDisposable
{
    /// <summary>Soft cap on events per transaction, so one commit stays short.</summary>
    public const int MaxBatchEvents = 4096;

    private static readonly TimeSpan MaxBusyWait = TimeSpan.FromMinutes(2);

    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly sqlite3 _db;
    private readonly SqliteLocation _location;
    private readonly AppendExecutor _executor;
    private readonly RawStatement _begin;
    private readonly RawStatement _commit;
    private readonly RawStatement _rollback;
    private readonly RawStatement _savepoint;
    private readonly RawStatement _release;
    private readonly RawStatement _rollbackTo;
    private readonly Lock? _gate;
    private readonly AppendSignal _signal;
    private readonly List<PendingAppend> _batch = [];
    private readonly List<(AppendResult Result, Exception? Error)> _outcomes = [];
    private long _commits;

    public AppendWriter(SqliteConnection connection, SqliteLocation location, TimeProvider clock, Lock? gate, AppendSignal signal)
    {
        _db = connection.Handle!;
        _location = location;
        _gate = gate;
        _signal = signal;
        _executor = new AppendExecutor(_db, clock);
        _begin = new RawStatement(_db, "begin_immediate");
        _commit = new RawStatement(_db, "commit");
        _rollback = new RawStatement(_db, "rollback");
        _savepoint = new RawStatement(_db, "savepoint");
        _release = new RawStatement(_db, "release");
        _rollbackTo = new RawStatement(_db, "rollback_to");
        var thread = new Thread(Loop) { IsBackground = true, Name = "Eventuali SQLite writer" };
        thread.Start();
    }

    public Task Stopped => _stopped.Task;

    /// <summary>Transactions committed so far (a batch is one), for tests of group commit.</summary>
    public long Commits => Volatile.Read(ref _commits);

    public Task<AppendResult> Enqueue(PendingAppend append)
    {
        if (!_queue.Writer.TryWrite(append))
        {
            append.Fail(new ObjectDisposedException(nameof(SqliteEventStore), $"The SQLite store '{_location.Display}' is disposed."));
        }

        return append.Task;
    }

    /// <summary>Stops taking appends; what is already queued is still written, then the thread ends.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    private void Loop()
    {
        var reader = _queue.Reader;
        try
        {
            while (true)
            {
                if (!reader.TryRead(out var first))
                {
                    if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                    {
                        break;
                    }

                    continue;
                }

                _batch.Clear();
                var events = 0;
                for (var item = first; item is not null; item = events < MaxBatchEvents && reader.TryRead(out var next) ? next : null)
                {
                    if (item.TryTake())
                    {
                        _batch.Add(item);
                        events += item.Events.Count;
                    }
                }

                if (_batch.Count > 0)
                {
                    RunBatch();
                }
            }
        }
        catch (Exception ex)
        {
            // Unreachable in normal operation; never leave a caller waiting forever.
            _queue.Writer.TryComplete(ex);
            foreach (var p in _batch)
            {
                p.Fail(ex);
            }

            while (reader.TryRead(out var left))
            {
                left.Fail(ex);
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private void RunBatch()
    {
        _gate?.Enter();
        try
        {
            if (!Begin())
            {
                return;
            }

            _outcomes.Clear();
            var multi = _batch.Count > 1;
            var rolledBack = false;
            foreach (var append in _batch)
            {
                if (multi)
                {
                    Exec(_savepoint);
                }

                try
                {
                    _outcomes.Add((_executor.Apply(append), null));
                    if (multi)
                    {
                        Exec(_release);
                    }
                }
                catch (EventualiException ex)
                {
                    _outcomes.Add((default, ex));
                    if (multi)
                    {
                        Exec(_rollbackTo);
                        Exec(_release);
                    }
                    else
                    {
                        Exec(_rollback);
                        rolledBack = true;
                    }
                }
            }

            if (!rolledBack)
            {
                Commit();
                Interlocked.Increment(ref _commits);
            }

            Acknowledge();
        }
        catch (Exception ex)
        {
            RollbackQuietly();
            foreach (var append in _batch)
            {
                append.Fail(ex);
            }
        }
        finally
        {
            _gate?.Exit();
        }
    }

    private void Acknowledge()
    {
        long head = 0;
        for (var i = 0; i < _batch.Count; i++)
        {
            var (result, error) = _outcomes[i];
            if (error is null)
            {
                head = Math.Max(head, result.LastPosition);
                _batch[i].Succeed(result);
            }
            else
            {
                _batch[i].Fail(error);
            }
        }

        if (head > 0)
        {
            _signal.Publish(head);
        }
    }

    /// <summary>BEGIN IMMEDIATE, waiting while another connection writes; false when every caller gave up meanwhile.</summary>
    private bool Begin()
    {
        var started = Environment.TickCount64;
        while (true)
        {
            var rc = _begin.StepRaw();
            _begin.Reset();
            if (rc == raw.SQLITE_DONE)
            {
                return true;
            }

            if (!SqliteErrors.IsBusy(rc))
            {
                throw SqliteErrors.Create(_db, rc, $"starting a write transaction on '{_location.Display}'");
            }

            _batch.RemoveAll(static p =>
            {
                if (p.CancellationToken.IsCancellationRequested)
                {
                    p.Cancel();
                    return true;
                }

                return false;
            });
            if (_batch.Count == 0)
            {
                return false;
            }

            ThrowIfWaitedTooLong(started);
        }
    }

    private void Commit()
    {
        var started = Environment.TickCount64;
        while (true)
        {
            var rc = _commit.StepRaw();
            _commit.Reset();
            if (rc == raw.SQLITE_DONE)
            {
                return;
            }

            if (!SqliteErrors.IsBusy(rc))
            {
                throw SqliteErrors.Create(_db, rc, $"committing appends to '{_location.Display}'");
            }

            ThrowIfWaitedTooLong(started);
        }
    }

    private void ThrowIfWaitedTooLong(long started)
    {
        if (Environment.TickCount64 - started > MaxBusyWait.TotalMilliseconds)
        {
            throw new EventStoreUnavailableException($"The SQLite file '{_location.Display}' stayed locked by another writer for {MaxBusyWait.TotalSeconds:0} s.");
        }
    }

    private void Exec(RawStatement statement)
    {
        var rc = statement.StepRaw();
        statement.Reset();
        SqliteErrors.Check(_db, rc, $"running '{statement.Name}' on '{_location.Display}'");
    }

    private void RollbackQuietly()
    {
        if (raw.sqlite3_get_autocommit(_db) == 0)
        {
            _rollback.StepRaw();
            _rollback.Reset();
        }
    }

    public void Dispose()
    {
        _executor.Dispose();
        _begin.Dispose();
        _commit.Dispose();
        _rollback.Dispose();
        _savepoint.Dispose();
        _release.Dispose();
        _rollbackTo.Dispose();
    }
}
