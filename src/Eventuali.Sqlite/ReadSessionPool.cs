using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Eventuali.Sqlite;

/// <summary>
/// Read connections for a file store, created on demand and kept for reuse. An in-memory store has
/// one connection only; its reads then share the writer's connection under the writer's gate, so a
/// read never sees a batch that is not committed.
/// </summary>
internal sealed class ReadSessionPool : IDisposable
{
    private const int MaxIdle = 8;
    private static readonly TimeSpan MaxBusyWait = TimeSpan.FromMinutes(2);

    private readonly SqliteLocation _location;
    private readonly StreamNameCache _names = new();
    private readonly ConcurrentBag<ReadSession> _idle = [];
    private readonly ReadSession? _shared;
    private readonly Lock? _gate;
    private bool _disposed;
    private int _used;

    public ReadSessionPool(SqliteLocation location, sqlite3 writerHandle, Lock? sharedGate)
    {
        _location = location;
        if (location.IsMemory)
        {
            _gate = sharedGate;
            _shared = new ReadSession(writerHandle, null, _names);
        }
    }

    public StreamNameCache Names => _names;

    /// <summary>Read connections now: pooled and idle, or running a read (an in-memory store's one shared connection counts as idle).</summary>
    public ConnectionUse Use => _shared is not null ? new(1, 0) : new(_idle.Count, Volatile.Read(ref _used));

    /// <summary>Runs one short read on a pooled session, retrying while another process holds a lock SQLite reports busy.</summary>
    public T Run<T>(Func<ReadSession, T> read, CancellationToken cancellationToken)
    {
        var started = Environment.TickCount64;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                return RunOnce(read);
            }
            catch (SqliteException ex) when (SqliteErrors.IsBusy(ex.SqliteErrorCode) && Environment.TickCount64 - started < MaxBusyWait.TotalMilliseconds)
            {
                // SQLite already waited busy_timeout; try again.
            }
        }
    }

    private T RunOnce<T>(Func<ReadSession, T> read)
    {
        if (_shared is not null)
        {
            lock (_gate!)
            {
                return read(_shared);
            }
        }

        if (!_idle.TryTake(out var session))
        {
            var connection = SqliteConnections.OpenReader(_location);
            session = new ReadSession(connection, connection, _names);
        }

        Interlocked.Increment(ref _used);
        try
        {
            return read(session);
        }
        finally
        {
            Interlocked.Decrement(ref _used);
            if (_disposed || _idle.Count >= MaxIdle)
            {
                session.Dispose();
            }
            else
            {
                _idle.Add(session);
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var session))
        {
            session.Dispose();
        }

        _shared?.Dispose();
    }
}
