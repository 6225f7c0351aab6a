using SQLitePCL;

namespace Eventuali.Sqlite;

/// <summary>
/// One lifecycle write (delete, restore, truncate, archive) in one BEGIN IMMEDIATE transaction: on a connection
/// of its own for a file (the single-writer lock orders it against every append, in any process), or on the
/// writer's connection under the store's gate for <c>:memory:</c>. Statements are prepared per transaction:
/// these operations are rare, so nothing is kept.
/// </summary>
internal sealed class LifecycleTransaction : IDisposable
{
    private static readonly TimeSpan MaxBusyWait = TimeSpan.FromMinutes(2);

    private readonly sqlite3 _db;
    private readonly bool _ownsConnection;
    private readonly SqliteLocation _location;
    private readonly Dictionary<string, RawStatement> _statements = new(StringComparer.Ordinal);

    private LifecycleTransaction(sqlite3 db, bool ownsConnection, SqliteLocation location)
    {
        _db = db;
        _ownsConnection = ownsConnection;
        _location = location;
    }

    public sqlite3 Db => _db;

    /// <summary>Runs <paramref name="work"/> in a write transaction and commits; any exception rolls it back.</summary>
    public static T Run<T>(SqliteLocation location, sqlite3 writerHandle, Lock? gate, Func<LifecycleTransaction, T> work, CancellationToken cancellationToken)
    {
        if (gate is not null)
        {
            lock (gate)
            {
                using var shared = new LifecycleTransaction(writerHandle, ownsConnection: false, location);
                return shared.Execute(work, cancellationToken);
            }
        }

        var db = SqliteConnections.OpenReader(location);
        using var own = new LifecycleTransaction(db, ownsConnection: true, location);
        own.Exec(location.Durability == Durability.Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
        return own.Execute(work, cancellationToken);
    }

    public RawStatement Statement(string name)
    {
        if (!_statements.TryGetValue(name, out var statement))
        {
            _statements[name] = statement = new RawStatement(_db, name);
        }

        return statement;
    }

    /// <summary>Steps a bound statement to completion; returns the rows it changed.</summary>
    public long Change(RawStatement statement)
    {
        try
        {
            while (statement.Step())
            {
            }
        }
        finally
        {
            statement.Reset();
        }

        return raw.sqlite3_changes(_db);
    }

    public void Exec(string sql)
    {
        var rc = raw.sqlite3_exec(_db, sql);
        SqliteErrors.Check(_db, rc, $"running '{sql}' on '{_location.Display}'");
    }

    private T Execute<T>(Func<LifecycleTransaction, T> work, CancellationToken cancellationToken)
    {
        Begin(cancellationToken);
        try
        {
            var result = work(this);
            Exec("COMMIT");
            return result;
        }
        catch
        {
            if (raw.sqlite3_get_autocommit(_db) == 0)
            {
                raw.sqlite3_exec(_db, "ROLLBACK");
            }

            throw;
        }
    }

    private void Begin(CancellationToken cancellationToken)
    {
        var started = Environment.TickCount64;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rc = raw.sqlite3_exec(_db, "BEGIN IMMEDIATE");
            if (rc == raw.SQLITE_OK)
            {
                return;
            }

            if (!SqliteErrors.IsBusy(rc) || Environment.TickCount64 - started > MaxBusyWait.TotalMilliseconds)
            {
                throw SqliteErrors.IsBusy(rc)
                    ? new EventStoreUnavailableException($"The SQLite file '{_location.Display}' stayed locked by another writer for {MaxBusyWait.TotalSeconds:0} s.")
                    : SqliteErrors.Create(_db, rc, $"starting a write transaction on '{_location.Display}'");
            }
        }
    }

    public void Dispose()
    {
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }

        if (_ownsConnection)
        {
            _db.Dispose();
        }
    }
}
