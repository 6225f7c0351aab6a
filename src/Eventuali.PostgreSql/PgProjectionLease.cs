using Eventuali.Projections;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>
/// Sole ownership of one projection: a row of the lease table (owner, epoch, expiry) taken and renewed on a keep-alive
/// connection of its own. The projection's transactions run on a second connection and check the epoch before they
/// commit, so a holder that lost the lease (killed, paused past its expiry, cut off) cannot commit after another node
/// took over. A killed holder's keep-alive backend disappears with it, which frees the lease before it expires.
/// </summary>
internal sealed partial class PgProjectionLease : IProjectionLease
{
    private readonly PgLeaseConnections _connections;
    private readonly NpgsqlConnection _work;
    private readonly ProjectionSql _sql;
    private readonly LeaseSql _leases;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _closing = new();
    private NpgsqlConnection? _keepAlive;
    private Task _renewing = Task.CompletedTask;
    private int _disposed;

    private PgProjectionLease(PgLeaseConnections connections, NpgsqlConnection keepAlive, NpgsqlConnection work, ProjectionSql sql, LeaseSql leases, string name, string owner, long epoch, TimeProvider clock)
    {
        _connections = connections;
        _keepAlive = keepAlive;
        _work = work;
        _sql = sql;
        _leases = leases;
        Name = name;
        Owner = owner;
        Epoch = epoch;
        Clock = clock;
    }

    public string Name { get; }

    public long Epoch { get; }

    public CancellationToken Lost => _lost.Token;

    internal string Owner { get; }

    internal TimeProvider Clock { get; }

    public static async Task<PgProjectionLease?> TryAcquireAsync(PgLeaseConnections connections, ProjectionSql sql, LeaseSql leases, string name, string owner, TimeProvider clock, CancellationToken ct)
    {
        var keepAlive = await connections.OpenKeepAliveAsync(ct).ConfigureAwait(false);
        NpgsqlConnection? work = null;
        try
        {
            if (await TryTakeAsync(keepAlive, leases, name, owner, connections.Options, ct).ConfigureAwait(false) is not { } epoch)
            {
                await keepAlive.DisposeAsync().ConfigureAwait(false);
                return null;
            }

            work = await connections.OpenWorkAsync(ct).ConfigureAwait(false);
            await PgProjectionDb.ExecuteAsync(work, null, sql["acquire"], ct, PgProjectionDb.Text(name), PgProjectionDb.Text(owner), PgProjectionDb.Time(clock.GetUtcNow())).ConfigureAwait(false);
            var lease = new PgProjectionLease(connections, keepAlive, work, sql, leases, name, owner, epoch, clock);
            lease._renewing = Task.Run(lease.RenewLoopAsync, CancellationToken.None);
            return lease;
        }
        catch
        {
            // The lease row, if taken, expires; the keep-alive backend's end frees it sooner.
            if (work is not null)
            {
                await work.DisposeAsync().ConfigureAwait(false);
            }

            await keepAlive.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask<ProjectionRow> LoadAsync(CancellationToken cancellationToken = default)
        => (await PgProjectionDb.QueryAsync(_work, null, _sql["load"], PgProjectionDb.Row, cancellationToken, PgProjectionDb.Text(Name)).ConfigureAwait(false)).Single();

    public async ValueTask<IProjectionTransaction> BeginAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var transaction = await PgTenantScope.BeginAsync(_work, cancellationToken).ConfigureAwait(false);
        return new PgProjectionTransaction(Name, Owner, Clock, _sql, _work, transaction, fence: new PgLeaseFence(_leases, Name, Epoch));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await BestEffortAsync(() => PgProjectionDb.ExecuteAsync(_work, null, _sql["release"], timeout.Token, PgProjectionDb.Text(Name), PgProjectionDb.Text(Owner))).ConfigureAwait(false);
            await BestEffortAsync(async () =>
            {
                _keepAlive ??= await _connections.OpenKeepAliveAsync(timeout.Token).ConfigureAwait(false);
                return await PgProjectionDb.ExecuteAsync(_keepAlive, null, _leases["release"], timeout.Token, PgProjectionDb.Text(Name), PgProjectionDb.Long(Epoch)).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        finally
        {
            await _work.DisposeAsync().ConfigureAwait(false);
            if (_keepAlive is not null)
            {
                await _keepAlive.DisposeAsync().ConfigureAwait(false);
            }

            _lost.Dispose();
            _closing.Dispose();
        }
    }

    // Releasing is best effort: an unreleased lease expires, or is free as soon as the keep-alive backend is gone.
    private static async Task BestEffortAsync(Func<Task<int>> release)
    {
        try
        {
            await release().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or InvalidOperationException or TimeoutException)
        {
        }
    }

    private static async Task<long?> TryTakeAsync(NpgsqlConnection keepAlive, LeaseSql leases, string name, string owner, LeaseOptions options, CancellationToken ct)
    {
        try
        {
            return await PgProjectionDb.ScalarAsync(keepAlive, null, leases["acquire"], ct,
                PgProjectionDb.Text(name), PgProjectionDb.Text(owner), PgProjectionDb.Long((long)options.Duration.TotalMilliseconds)).ConfigureAwait(false) as long?;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            // The holder is committing (its fence holds the row): it is alive, so this is a denial.
            return null;
        }
    }
}
