using Eventuali.Subscriptions;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite;

/// <summary>
/// Checkpoints in the store's file (table <c>checkpoints</c>, migration 002). A file store saves them on a
/// connection of their own (SQLite serialises it with the appends of every process); an in-memory store on
/// its single connection, under the lock its reads and writes share.
/// </summary>
public sealed partial class SqliteEventStore : ICheckpointStore
{
    private static readonly TimeSpan MaxCheckpointBusyWait = TimeSpan.FromMinutes(2);
    private readonly Lock _checkpointLock = new();
    private SqliteConnection? _checkpointConnection;

    /// <inheritdoc />
    public ValueTask<long?> LoadCheckpointAsync(string name, CancellationToken cancellationToken = default)
    {
        CheckpointNames.Validate(name);
        return ValueTask.FromResult(RunCheckpoint(
            connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = CheckpointSql.Load;
                command.Parameters.AddWithValue("?1", name);
                return command.ExecuteScalar() is long position ? position : (long?)null;
            },
            cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask SaveCheckpointAsync(string name, long position, CancellationToken cancellationToken = default)
    {
        CheckpointNames.Validate(name, position);
        var stamp = EventRow.ToUnixMicroseconds(AppendValidation.Stamp(Options.TimeProvider));
        RunCheckpoint(
            connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = CheckpointSql.Save;
                command.Parameters.AddWithValue("?1", name);
                command.Parameters.AddWithValue("?2", position);
                command.Parameters.AddWithValue("?3", stamp);
                return command.ExecuteNonQuery();
            },
            cancellationToken);
        return ValueTask.CompletedTask;
    }

    private T RunCheckpoint<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Location.IsMemory)
        {
            // The pool runs this under the lock of the one shared connection.
            return _readers.Run(_ => work(_writerConnection), cancellationToken);
        }

        var started = Environment.TickCount64;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                lock (_checkpointLock)
                {
                    ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
                    return work(_checkpointConnection ??= OpenCheckpointConnection());
                }
            }
            catch (SqliteException ex) when (SqliteErrors.IsBusy(ex.SqliteErrorCode) && Environment.TickCount64 - started < MaxCheckpointBusyWait.TotalMilliseconds)
            {
                // SQLite already waited busy_timeout while another connection wrote; try again.
            }
        }
    }

    private SqliteConnection OpenCheckpointConnection()
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Location.FilePath,
            Mode = SqliteOpenMode.ReadWrite,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
            DefaultTimeout = 30,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle!, SqliteConnections.BusyTimeoutMs);
            SqliteConnections.Pragma(connection, Location, Location.Durability == Durability.Full ? "synchronous = FULL" : "synchronous = NORMAL");
            // Data keys are written on this connection too: a replaced or deleted key must not linger in free space.
            SqliteConnections.Pragma(connection, Location, "secure_delete = ON");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void CloseCheckpoints()
    {
        lock (_checkpointLock)
        {
            _checkpointConnection?.Dispose();
            _checkpointConnection = null;
        }
    }
}
