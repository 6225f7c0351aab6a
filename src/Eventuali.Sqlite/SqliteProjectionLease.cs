using Eventuali.Projections;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite;

/// <summary>
/// Sole ownership of one projection on a SQLite file: a row of the lease table (owner, epoch, expiry), renewed every
/// third of its duration on a connection of its own, and a second connection for the projection's transactions, whose
/// commits check the epoch. A killed holder's lease expires after its duration; a released one is free at once.
/// </summary>
internal sealed partial class SqliteProjectionLease : IProjectionLease
{
    private readonly SqliteConnection _connection;
    private readonly SqliteConnection _keepAlive;
    private readonly string _owner;
    private readonly TimeProvider _clock;
    private readonly LeaseOptions _options;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _closing = new();
    private Task _renewing = Task.CompletedTask;
    private int _disposed;

    private SqliteProjectionLease(string name, string owner, long epoch, SqliteConnection connection, SqliteConnection keepAlive, TimeProvider clock, LeaseOptions options)
    {
        Name = name;
        Epoch = epoch;
        _owner = owner;
        _connection = connection;
        _keepAlive = keepAlive;
        _clock = clock;
        _options = options;
    }

    public string Name { get; }

    public long Epoch { get; }

    public CancellationToken Lost => _lost.Token;

    public static SqliteProjectionLease? TryAcquire(SqliteLocation location, string name, string owner, TimeProvider clock, LeaseOptions options)
    {
        _ = SqliteProjectionDb.RequireFile(location);
        SqliteConnection? keepAlive = null;
        SqliteConnection? connection = null;
        try
        {
            keepAlive = SqliteProjectionDb.Open(location);
            var now = SqliteProjectionDb.Micros(clock.GetUtcNow());
            var taken = SqliteProjectionDb.Query(keepAlive, null, "lease_acquire", r => r.GetInt64(0), name, owner, now, Micros(options.Duration));
            if (taken.Count == 0)
            {
                keepAlive.Dispose();
                return null;
            }

            connection = SqliteProjectionDb.Open(location);
            SqliteProjectionDb.Execute(connection, null, "acquire", name, owner, now);
            var lease = new SqliteProjectionLease(name, owner, taken[0], connection, keepAlive, clock, options);
            lease._renewing = Task.Run(lease.RenewLoopAsync, CancellationToken.None);
            return lease;
        }
        catch
        {
            connection?.Dispose();
            keepAlive?.Dispose();
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
        return ValueTask.FromResult<IProjectionTransaction>(new SqliteProjectionTransaction(Name, _owner, _clock, _connection, _connection.BeginTransaction(deferred: false), Epoch));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            BestEffort(_connection, "release", Name, _owner);
            BestEffort(_keepAlive, "lease_release", Name, Epoch, SqliteProjectionDb.Micros(_clock.GetUtcNow()));
        }
        finally
        {
            _connection.Dispose();
            _keepAlive.Dispose();
            _lost.Dispose();
            _closing.Dispose();
        }
    }

    // Releasing is best effort: an unreleased lease expires after its duration.
    private static void BestEffort(SqliteConnection connection, string statement, params object?[] args)
    {
        try
        {
            SqliteProjectionDb.Execute(connection, null, statement, args);
        }
        catch (SqliteException)
        {
        }
    }

    private static long Micros(TimeSpan duration) => duration.Ticks / 10;
}
