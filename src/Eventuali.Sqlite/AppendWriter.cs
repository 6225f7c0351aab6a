using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Eventuali.Sqlite;

/// <summary>
/// The store's single write connection: runs a batch of queued appends in ONE transaction
/// (group commit). Each append of a batch runs under its own savepoint, so one conflict fails
/// only that append. Callers are completed only after COMMIT returns.
/// </summary>
internal sealed class AppendWriter : IDisposable
{
    private static readonly TimeSpan MaxBusyWait = TimeSpan.FromMinutes(2);

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
    private List<PendingAppend> _batch = [];
    private readonly List<(AppendResult Result, Exception? Error)> _outcomes = [];
    private long _commits;

    public AppendWriter(SqliteConnection connection, SqliteLocation location, TimeProvider clock, Lock? gate, AppendSignal signal, TenantMeter? meter = null)
    {
        _db = connection.Handle!;
        _location = location;
        _gate = gate;
        _signal = signal;
        _executor = new AppendExecutor(_db, clock, meter);
        _begin = new RawStatement(_db, "begin_immediate");
        _commit = new RawStatement(_db, "commit");
        _rollback = new RawStatement(_db, "rollback");
        _savepoint = new RawStatement(_db, "savepoint");
        _release = new RawStatement(_db, "release");
        _rollbackTo = new RawStatement(_db, "rollback_to");
    }

    /// <summary>Runs inline projections over an append that wrote (set once one is registered; null keeps the fast path).</summary>
    public Action<PendingAppend, AppendResult>? Inline { get; set; }

    /// <summary>Where committed batch sizes are reported.</summary>
    public StoreTelemetry? Telemetry { get; set; }

    /// <summary>Transactions committed so far (a batch is one), for tests of group commit.</summary>
    public long Commits => Volatile.Read(ref _commits);

    /// <summary>
    /// Runs one batch in one transaction and completes every caller in it; never throws. With
    /// <paramref name="mayWait"/> false it returns false, touching nothing, when another connection
    /// holds the write lock, so a caller's own thread never blocks on someone else's transaction.
    /// </summary>
    public bool Run(List<PendingAppend> batch, bool mayWait)
    {
        _batch = batch;
        return RunBatch(mayWait);
    }

    private bool RunBatch(bool mayWait)
    {
        _gate?.Enter();
        try
        {
            if (!mayWait && !TryBeginNow())
            {
                return false;
            }

            if (mayWait && !Begin())
            {
                return true;
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
                    var changes = Inline is null ? 0 : raw.sqlite3_total_changes(_db);
                    var result = _executor.Apply(append);
                    if (Inline is { } inline && raw.sqlite3_total_changes(_db) != changes)
                    {
                        inline(append, result); // inline projections: in this append's savepoint; a throw refuses it
                    }

                    _outcomes.Add((result, null));
                    if (multi)
                    {
                        Exec(_release);
                    }
                }
                catch (EventualiException ex)
                {
                    // SQLite may have rolled back the whole transaction itself (a full disk does): then every
                    // append of the batch is gone, so the whole batch fails with this error.
                    if (raw.sqlite3_get_autocommit(_db) != 0)
                    {
                        throw;
                    }

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
                CommitWithReads();
                Interlocked.Increment(ref _commits);
                Telemetry?.RecordGroupCommit(_batch.Count);
            }

            Acknowledge();
        }
        catch (Exception ex)
        {
            RollbackQuietly();
            _executor.Usage?.Discard();
            foreach (var append in _batch)
            {
                append.Fail(ex);
            }
        }
        finally
        {
            _gate?.Exit();
        }

        return true;
    }

    /// <summary>
    /// Writes the reads a tenant's store counted since its last write, in a transaction of their own (when it closes);
    /// false when there was nothing to write or the write failed (the reads are then lost, the events are not).
    /// </summary>
    public bool FlushReads()
    {
        if (_executor.Usage is not { HasReads: true })
        {
            return false;
        }

        _gate?.Enter();
        try
        {
            _batch = [];
            if (!Begin())
            {
                return false;
            }

            CommitWithReads();
            return true;
        }
        catch (EventualiException)
        {
            RollbackQuietly();
            return false;
        }
        finally
        {
            _gate?.Exit();
        }
    }

    // A tenant's pending reads ride on the batch's transaction; given back when the commit fails.
    private void CommitWithReads()
    {
        var reads = _executor.Usage?.FlushReads() ?? 0;
        try
        {
            Commit();
        }
        catch
        {
            _executor.Usage?.Discard();
            if (reads > 0)
            {
                _executor.Usage!.ReturnReads(reads);
            }

            throw;
        }

        _executor.Usage?.Committed();
    }

    /// <summary>BEGIN IMMEDIATE without waiting: false when another connection holds the write lock.</summary>
    private bool TryBeginNow()
    {
        raw.sqlite3_busy_timeout(_db, 0);
        try
        {
            var rc = _begin.StepRaw();
            _begin.Reset();
            if (SqliteErrors.IsBusy(rc))
            {
                return false;
            }

            SqliteErrors.Check(_db, rc, $"starting a write transaction on '{_location.Display}'");
            return true;
        }
        finally
        {
            raw.sqlite3_busy_timeout(_db, SqliteConnections.BusyTimeoutMs);
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
