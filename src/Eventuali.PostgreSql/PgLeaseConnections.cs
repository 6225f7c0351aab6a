using Eventuali.Projections;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>
/// The two unpooled connections of a lease: the keep-alive one (acquire, renew, release; TCP keep-alives so a dead
/// peer is noticed in seconds, a lock timeout so a takeover never queues behind a stuck commit) and the work one (the
/// holder's transactions; an idle-in-transaction timeout so a paused holder cannot keep row locks past its lease).
/// </summary>
internal sealed class PgLeaseConnections(PgSettings settings, LeaseOptions options) : IDisposable
{
    private readonly NpgsqlDataSource _keepAlive = NpgsqlDataSource.Create(Builder(settings, options, "lease"));
    private readonly NpgsqlDataSource _work = NpgsqlDataSource.Create(Builder(settings, options, "lease-work"));

    public LeaseOptions Options => options;

    public async Task<NpgsqlConnection> OpenKeepAliveAsync(CancellationToken ct)
    {
        var connection = PgTenantScope.Mark(await _keepAlive.OpenConnectionAsync(ct).ConfigureAwait(false), settings);
        await SetAsync(connection, "lock_timeout", options.RenewInterval, ct).ConfigureAwait(false);
        return connection;
    }

    public async Task<NpgsqlConnection> OpenWorkAsync(CancellationToken ct)
    {
        var connection = PgTenantScope.Mark(await _work.OpenConnectionAsync(ct).ConfigureAwait(false), settings);
        await SetAsync(connection, "idle_in_transaction_session_timeout", options.Duration, ct).ConfigureAwait(false);
        return connection;
    }

    public void Dispose()
    {
        _keepAlive.Dispose();
        _work.Dispose();
    }

    private static async Task SetAsync(NpgsqlConnection connection, string setting, TimeSpan value, CancellationToken ct)
    {
        try
        {
            await PgProjectionDb.ScalarAsync(connection, null, "SELECT set_config($1, $2, false)", ct,
                PgProjectionDb.Text(setting), PgProjectionDb.Text($"{(long)value.TotalMilliseconds}ms")).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static NpgsqlConnectionStringBuilder Builder(PgSettings settings, LeaseOptions options, string role)
    {
        // Not pooled: closing a lease connection must end its session. Direct: leases never go through PgBouncer
        // (SessionBuilder is the server behind it; the store refuses leases when none is named).
        var seconds = Math.Max(1, (int)options.RenewInterval.TotalSeconds);
        return new NpgsqlConnectionStringBuilder(settings.SessionBuilder!.ConnectionString)
        {
            Pooling = false,
            TcpKeepAlive = true,
            TcpKeepAliveTime = seconds,
            TcpKeepAliveInterval = 1,
            Timeout = Math.Max(2, seconds),
            ApplicationName = $"{settings.Builder.ApplicationName}-{role}",
        };
    }
}
