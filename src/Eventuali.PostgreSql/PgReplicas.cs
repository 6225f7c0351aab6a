using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>
/// The hot standbys of one store (<c>replica=host:port[,host:port]</c>) and where each read goes. A stream read goes to
/// a replica only when the replica's horizon has passed every position this store object has written or read (its
/// own appends, events it read, a barrier after a write that moves no position); a global-log page goes to a replica
/// only below the replica's horizon, and the rest of the page comes from the primary. Everything else (appends,
/// leases, LISTEN, checkpoints, projections) uses the primary.
/// </summary>
internal sealed class PgReplicas : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<PgReplicas, byte> Open = new();

    private readonly NpgsqlDataSource _primary;
    private readonly SqlText _sql;
    private long _seen;
    private long _primaryReads;
    private int _sampling;

    public PgReplicas(IReadOnlyList<NpgsqlConnectionStringBuilder> builders, NpgsqlDataSource primary, SqlText sql)
    {
        _primary = primary;
        _sql = sql;
        Replicas = [.. builders.Select(b => new PgReplica(b))];
        ReplicaTelemetry.Register(); // the gauges exist from the first store with replicas on, read or not
        Open.TryAdd(this, 0);
    }

    public IReadOnlyList<PgReplica> Replicas { get; }

    /// <summary>Reads (pages) served by the primary while replicas are configured.</summary>
    public long PrimaryReads => Volatile.Read(ref _primaryReads);

    /// <summary>The highest position this store object has written or read: what a replica must pass to serve a stream read.</summary>
    public long Seen => Volatile.Read(ref _seen);

    internal static IEnumerable<PgReplicas> All => Open.Keys;

    /// <summary>Replica settings: the store's, with the host replaced (port: the store's when left out), no target.</summary>
    public static IReadOnlyList<NpgsqlConnectionStringBuilder> Builders(NpgsqlConnectionStringBuilder primary, string replica)
    {
        var list = new List<NpgsqlConnectionStringBuilder>();
        foreach (var entry in replica.Split(',', StringSplitOptions.TrimEntries))
        {
            var colon = entry.LastIndexOf(':');
            var host = colon >= 0 ? entry[..colon] : entry;
            var port = primary.Port;
            if (host.Length == 0 || host.Contains('/', StringComparison.Ordinal) || host.Contains('@', StringComparison.Ordinal)
                || (colon >= 0 && (!int.TryParse(entry[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)))
            {
                throw new EventStoreConfigurationException(
                    $"PostgreSQL setting '{PgSettings.ReplicaKey}' must be host:port or a comma-separated list of them (hot standbys of the store's server; " +
                    (replica.Contains('@', StringComparison.Ordinal) ? "credentials come from the URL, not from this list)." : $"got '{replica}')."));
            }

            list.Add(new NpgsqlConnectionStringBuilder(primary.ConnectionString)
            {
                Host = host,
                Port = port,
                TargetSessionAttributes = null,
                ApplicationName = (primary.ApplicationName ?? "eventuali") + "-replica",
                // A replica that does not answer must not hold a read for long: the primary serves instead.
                Timeout = Math.Min(primary.Timeout, 3),
            });
        }

        return list;
    }

    public void Observe(long position)
    {
        var seen = Volatile.Read(ref _seen);
        while (position > seen)
        {
            var previous = Interlocked.CompareExchange(ref _seen, position, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    public void Observe(List<EventRow> page)
    {
        if (page.Count > 0)
        {
            Observe(page.Max(r => r.Position));
        }
    }

    public void ServedByPrimary() => Interlocked.Increment(ref _primaryReads);

    /// <summary>A replica that has replayed past everything this store has written or read, or null (the primary serves).</summary>
    public ValueTask<PgReplica?> ForStreamAsync(CancellationToken ct) => FirstCoveringAsync(Seen, ct);

    /// <summary>A replica with final positions at <paramref name="from"/> and above, or null (the primary serves).</summary>
    public ValueTask<PgReplica?> ForLogAsync(long from, CancellationToken ct) => FirstCoveringAsync(from, ct);

    private async ValueTask<PgReplica?> FirstCoveringAsync(long position, CancellationToken ct)
    {
        foreach (var replica in Replicas)
        {
            if (await replica.CoversAsync(position, _sql["replica_horizon"], ct).ConfigureAwait(false))
            {
                return replica;
            }
        }

        return null;
    }

    /// <summary>After a committed write that moves no position, on its connection: replicas serve this store only once past it.</summary>
    public async Task BarrierAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var cmd = new NpgsqlCommand(_sql["replica_barrier"], conn);
        await using (cmd.ConfigureAwait(false))
        {
            Observe((long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!);
        }
    }

    /// <summary>Measures every replica's lag against the primary's current WAL position.</summary>
    public async Task<IReadOnlyList<PostgreSqlReplicaStatus>> SampleAsync(CancellationToken ct)
    {
        var cmd = _primary.CreateCommand(_sql["primary_wal"]);
        string primaryWal;
        await using (cmd.ConfigureAwait(false))
        {
            primaryWal = (string)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }

        var statuses = new List<PostgreSqlReplicaStatus>(Replicas.Count);
        foreach (var replica in Replicas)
        {
            var status = new PostgreSqlReplicaStatus(replica.Endpoint, false, null, null, false, replica.Reads);
            try
            {
                var lag = replica.DataSource.CreateCommand(_sql["replica_lag"]);
                await using (lag.ConfigureAwait(false))
                {
                    lag.CommandTimeout = 5;
                    lag.Parameters.Add(new NpgsqlParameter<string> { TypedValue = primaryWal });
                    var reader = await lag.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        if (await reader.ReadAsync(ct).ConfigureAwait(false))
                        {
                            status = status with
                            {
                                Reachable = true,
                                LagBytes = reader.IsDBNull(0) ? null : reader.GetInt64(0),
                                LagSeconds = reader.IsDBNull(1) ? null : reader.GetDouble(1),
                                ReplayPaused = reader.GetBoolean(2),
                            };
                        }
                    }
                }
            }
            catch (Exception ex) when (PgReplica.IsFailure(ex, ct))
            {
                // Unreachable: reported as such; reads go to the primary until it answers again.
            }

            replica.LastStatus = status;
            statuses.Add(status);
        }

        return statuses;
    }

    /// <summary>For the gauges: a collection must not wait on the database, so it starts a sample and reports the last one.</summary>
    public void SampleInBackground()
    {
        if (Interlocked.Exchange(ref _sampling, 1) != 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await SampleAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _ = ex; // the primary is unreachable or the store closed: keep the last sample
            }
            finally
            {
                Volatile.Write(ref _sampling, 0);
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        Open.TryRemove(this, out _);
        foreach (var replica in Replicas)
        {
            await replica.DisposeAsync().ConfigureAwait(false);
        }
    }
}
