using System.Net.Sockets;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>
/// One hot standby that may serve reads: its own pool, the position below which it has replayed everything (its
/// horizon, which only grows), and whether it is down. A replica that fails to connect is left alone for a while.
/// </summary>
internal sealed class PgReplica : IAsyncDisposable
{
    // How long a replica that failed to connect serves nothing; the primary serves meanwhile.
    private static readonly long DownMilliseconds = 5000;

    // A replica behind what a read needs is asked for its horizon again at most this often (the primary serves meanwhile).
    private static readonly long RefreshMilliseconds = 100;

    private long _horizon;
    private long _refreshedAt = long.MinValue / 2;
    private long _downUntil = long.MinValue / 2;
    private long _reads;

    public PgReplica(NpgsqlConnectionStringBuilder builder)
    {
        Endpoint = $"{builder.Host}:{builder.Port}";
        DataSource = NpgsqlDataSource.Create(builder);
    }

    /// <summary>host:port, for status and metrics (never credentials).</summary>
    public string Endpoint { get; }

    public NpgsqlDataSource DataSource { get; }

    public long Horizon => Volatile.Read(ref _horizon);

    public long Reads => Volatile.Read(ref _reads);

    public bool IsDown => Environment.TickCount64 < Volatile.Read(ref _downUntil);

    /// <summary>The last lag measured (<see cref="PgReplicas.SampleAsync"/>), for the gauges.</summary>
    public PostgreSqlReplicaStatus? LastStatus { get; set; }

    public void Served() => Interlocked.Increment(ref _reads);

    public void MarkDown() => Volatile.Write(ref _downUntil, Environment.TickCount64 + DownMilliseconds);

    /// <summary>
    /// Whether the replica has replayed everything below a position above <paramref name="position"/>: from the horizon
    /// already known, else (at most every <see cref="RefreshMilliseconds"/>) from asking the replica.
    /// </summary>
    public async ValueTask<bool> CoversAsync(long position, string horizonSql, CancellationToken ct)
    {
        if (Horizon > position)
        {
            return !IsDown;
        }

        var now = Environment.TickCount64;
        if (IsDown || now - Volatile.Read(ref _refreshedAt) < RefreshMilliseconds)
        {
            return false;
        }

        Volatile.Write(ref _refreshedAt, now);
        try
        {
            var conn = await DataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using (conn.ConfigureAwait(false))
            {
                var cmd = new NpgsqlCommand(horizonSql, conn) { CommandTimeout = 5 };
                await using (cmd.ConfigureAwait(false))
                {
                    if (await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is long horizon)
                    {
                        Raise(horizon);
                    }
                }
            }
        }
        catch (Exception ex) when (IsFailure(ex, ct))
        {
            // The server answered with an error (e.g. a schema it has not replayed yet): not down, just not usable now.
            if (ex is not PostgresException)
            {
                MarkDown();
            }

            return false;
        }

        return Horizon > position;
    }

    /// <summary>A failure of the replica (unreachable, lost, refused, conflicting with replay), not the caller's cancellation.</summary>
    public static bool IsFailure(Exception ex, CancellationToken ct)
        => ex is NpgsqlException or SocketException or TimeoutException or IOException
           || (ex is OperationCanceledException && !ct.IsCancellationRequested);

    private void Raise(long horizon)
    {
        var seen = Volatile.Read(ref _horizon);
        while (horizon > seen)
        {
            var previous = Interlocked.CompareExchange(ref _horizon, horizon, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
