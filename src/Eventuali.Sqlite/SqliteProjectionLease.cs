using Eventuali.Projections;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite;

/// <summary>
/// Sole ownership of one projection on a SQLite file: an exclusive lock on a lock file next to the database
/// (released by the OS when the process dies), and a connection of its own for the projection's transactions.
/// </summary>
internal sealed class SqliteProjectionLease : IProjectionLease
{
    private readonly FileStream _lockFile;
    private readonly SqliteConnection _connection;
    private readonly string _owner;
    private readonly TimeProvider _clock;
    private int _disposed;

    private SqliteProjectionLease(string name, string owner, FileStream lockFile, SqliteConnection connection, TimeProvider clock)
    {
        Name = name;
        _owner = owner;
        _lockFile = lockFile;
        _connection = connection;
        _clock = clock;
    }

    public string Name { get; }

    public static SqliteProjectionLease? TryAcquire(SqliteLocation location, string name, string owner, TimeProvider clock)
    {
        _ = SqliteProjectionDb.RequireFile(location);
        var path = $"{location.FilePath}.projection-{name}.lock";
        FileStream lockFile;
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix, a share lock on Windows.
            lockFile = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }

        SqliteConnection? connection = null;
        try
        {
            connection = SqliteProjectionDb.Open(location);
            SqliteProjectionDb.Execute(connection, null, "acquire", name, owner, SqliteProjectionDb.Micros(clock.GetUtcNow()));
            return new SqliteProjectionLease(name, owner, lockFile, connection, clock);
        }
        catch
        {
            connection?.Dispose();
            lockFile.Dispose();
            throw;
        }
    }

    public ValueTask<ProjectionRow> LoadAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(SqliteProjectionDb.Query(_connection, null, "load", SqliteProjectionDb.Row, Name).Single());
    }

    public ValueTask<IProjectionTransaction> BeginAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return ValueTask.FromResult<IProjectionTransaction>(new SqliteProjectionTransaction(Name, _owner, _clock, _connection, _connection.BeginTransaction(deferred: false)));
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        try
        {
            SqliteProjectionDb.Execute(_connection, null, "release", Name, _owner);
        }
        catch (SqliteException)
        {
            // Best effort: the next owner overwrites the column.
        }
        finally
        {
            _connection.Dispose();
            _lockFile.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
