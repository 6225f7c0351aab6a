using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>
/// The global log hands out only what is as durable as an acknowledged append. A commit can be visible on the primary
/// before any synchronous standby has it: its wait for the standby was cancelled, or cut short because the primary's
/// postmaster died (PostgreSQL then ends the transaction "committed locally"). A reader that delivered such an event
/// would, after a failover, go on from a history the new primary does not have: the event is gone, and its position
/// may even be taken by another transaction (positions come from transaction ids), which the reader would then skip.
/// So a log page, or a head, that reaches past what is known durable is held until a barrier commit has passed it
/// (<c>durable_horizon</c> in queries.sql); the barrier's horizon then covers every later read below it, so history
/// costs one barrier and the live tail one per read that brings new events.
/// </summary>
public sealed partial class PostgreSqlEventStore
{
    // One barrier at a time per store object: readers that queue behind one are usually covered by it (any barrier
    // whose horizon is above a committed event covers it, whenever that event was read), so they run none themselves.
    private readonly SemaphoreSlim _barrierGate = new(1, 1);

    // Every committed event below this position is as durable as an acknowledged append; it only grows.
    private long _durableBelow;

    /// <summary>A global-log page (<see cref="FetchLogPageAsync"/>), returned once it is durable.</summary>
    private async Task<List<EventRow>> FetchDurableLogPageAsync(LogQuery query, List<EventRow> page, long position, int limit, CancellationToken ct)
    {
        await FetchLogPageAsync(query, page, position, limit, ct).ConfigureAwait(false);
        if (page.Count > 0)
        {
            await EnsureDurableAsync(page[^1].Position, ct).ConfigureAwait(false);
        }

        return page;
    }

    /// <summary>Returns once every event at or below <paramref name="position"/> that a read could see is durable.</summary>
    private ValueTask EnsureDurableAsync(long position, CancellationToken ct)
        => position <= 0 || position < Volatile.Read(ref _durableBelow) ? ValueTask.CompletedTask : BarrierAsync(position, ct);

    private async ValueTask BarrierAsync(long position, CancellationToken ct)
    {
        await _barrierGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (position >= Volatile.Read(ref _durableBelow))
            {
                await RunBarrierAsync(ct).ConfigureAwait(false);
            }
        }
        finally
        {
            _barrierGate.Release();
        }
    }

    private async ValueTask RunBarrierAsync(CancellationToken ct)
    {
        long horizon = 0;
        string? warning = null;
        try
        {
            var conn = PgTenantScope.Mark(await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false), _settings);
            await using (conn.ConfigureAwait(false))
            {
                // A commit whose wait for the standbys was cancelled still returns, with a warning: not durable then.
                NoticeEventHandler noted = (_, e) => warning ??= e.Notice.InvariantSeverity == "WARNING" ? e.Notice.MessageText : null;
                conn.Notice += noted;
                try
                {
                    var cmd = PgTenantScope.Batch(conn, null, _sql["durable_horizon"]);
                    await using (cmd.ConfigureAwait(false))
                    {
                        var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                        await using (reader.ConfigureAwait(false))
                        {
                            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                            {
                                horizon = reader.GetInt64(0);
                            }
                        }
                    }
                }
                finally
                {
                    conn.Notice -= noted;
                }
            }
        }
        catch (NpgsqlException ex) when (PgErrors.Map(ex, _settings) is { } mapped)
        {
            throw mapped;
        }

        if (warning is not null)
        {
            throw new EventStoreUnavailableException(
                $"The server could not confirm that the global log read is durable on its synchronous standbys ({warning}); the read is retried.",
                isTransient: true);
        }

        var seen = Volatile.Read(ref _durableBelow);
        while (horizon > seen && Interlocked.CompareExchange(ref _durableBelow, horizon, seen) is var previous && previous != seen)
        {
            seen = previous;
        }
    }
}
