using Eventuali.Projections;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>
/// Sole ownership of one projection: a session advisory lock held by this lease's own connection. The
/// projection's transactions run on that same connection, so a leader that lost its connection (and with it
/// the lock) cannot commit anything afterwards. When the process dies the server drops the lock.
/// </summary>
internal sealed class PgProjectionLease : IProjectionLease
{
    private readonly NpgsqlConnection _connection;
    private readonly ProjectionSql _sql;
    private readonly string _lockKey;
    private int _disposed;

    private PgProjectionLease(NpgsqlConnection connection, ProjectionSql sql, string name, string lockKey, string owner, TimeProvider clock)
    {
        _connection = connection;
        _sql = sql;
        _lockKey = lockKey;
        Name = name;
        Owner = owner;
        Clock = clock;
    }

    public string Name { get; }

    internal string Owner { get; }

    internal TimeProvider Clock { get; }

    // dataSource: one without pooling (see PostgreSqlEventStore.Projections.cs).
    public static async Task<PgProjectionLease?> TryAcquireAsync(NpgsqlDataSource dataSource, PgSettings settings, ProjectionSql sql, string name, string owner, TimeProvider clock, CancellationToken ct)
    {
        var lockKey = $"{settings.Schema}/{name}";
        var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        try
        {
            if (await PgProjectionDb.ScalarAsync(connection, null, sql["try_lock"], ct, PgProjectionDb.Text(lockKey)).ConfigureAwait(false) is not true)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                return null;
            }

            await PgProjectionDb.ExecuteAsync(connection, null, sql["acquire"], ct, PgProjectionDb.Text(name), PgProjectionDb.Text(owner), PgProjectionDb.Time(clock.GetUtcNow())).ConfigureAwait(false);
            return new PgProjectionLease(connection, sql, name, lockKey, owner, clock);
        }
        catch
        {
            await BreakAsync(connection).ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask<ProjectionRow> LoadAsync(CancellationToken cancellationToken = default)
        => (await PgProjectionDb.QueryAsync(_connection, null, _sql["load"], PgProjectionDb.Row, cancellationToken, PgProjectionDb.Text(Name)).ConfigureAwait(false)).Single();

    public async ValueTask<IProjectionTransaction> BeginAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var transaction = await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        return new PgProjectionTransaction(Name, Owner, Clock, _sql, _connection, transaction);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await PgProjectionDb.ExecuteAsync(_connection, null, _sql["release"], timeout.Token, PgProjectionDb.Text(Name), PgProjectionDb.Text(Owner)).ConfigureAwait(false);
            await PgProjectionDb.ScalarAsync(_connection, null, _sql["unlock"], timeout.Token, PgProjectionDb.Text(_lockKey)).ConfigureAwait(false);
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or InvalidOperationException)
        {
            await BreakAsync(_connection).ConfigureAwait(false);
        }
    }

    // The lease's connections are not pooled: closing one ends the session and every advisory lock it held.
    private static async Task BreakAsync(NpgsqlConnection connection) => await connection.DisposeAsync().ConfigureAwait(false);
}
