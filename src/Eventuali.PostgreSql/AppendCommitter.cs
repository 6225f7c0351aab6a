using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>
/// Group commit with several batches in flight. A caller that finds a free lane (fewer than
/// <see cref="PgSettings.AppendBatches"/> batches committing) becomes a leader and sends everything it can
/// take from the queue as one call of append_many (one append alone: append), which PostgreSQL runs as one
/// implicit transaction in one round trip, on a pooled connection of its own. Callers arriving while every
/// lane is busy queue for the next batch. A lone writer therefore commits on its own task, with no hand-off,
/// and one slow transaction holds up only its own lane. Appends of a stream that is in a batch being committed
/// wait in the queue until that batch ends (two batches would only block each other on the stream's row), so
/// concurrent batches hold disjoint streams. Each call keeps its own checks and returns a status, so one refused
/// append does not fail the others; results are handed out only after the batch's COMMIT succeeded. Batches
/// touch streams in name order, so batches of several nodes wait on each other's rows in one order. Each leader holds a
/// lane number (0 to <see cref="PgSettings.AppendBatches"/> - 1) no other leader holds meanwhile: a tenant's store
/// meters a batch into the usage slot of its lane (<see cref="PgTenantMeter.AddTo"/>).
/// </summary>
internal sealed partial class AppendCommitter : IAsyncDisposable
{
    // append_many's fallback runs each append in a subtransaction of its own; stay under the 64 cached per backend.
    private const int MaxAppendsPerBatch = 48;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PgSettings _settings;
    private readonly SqlText _sql;
    private readonly int _maxBatches;
    private readonly Lock _gate = new();
    private readonly List<PendingAppend> _queue = []; // in arrival order; guarded by _gate
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal); // streams of batches being committed
    private int _leaders; // lanes taken: leaders taking or committing a batch; guarded by _gate
    private readonly bool[] _lanes; // lane n has a leader; guarded by _gate
    private volatile bool _disposed;

    /// <summary>Where committed batch sizes are reported.</summary>
    public StoreTelemetry? Telemetry { get; set; }

    public AppendCommitter(NpgsqlDataSource dataSource, PgSettings settings, SqlText sql)
    {
        _dataSource = dataSource;
        _settings = settings;
        _sql = sql;
        _maxBatches = settings.AppendBatches;
        _lanes = new bool[_maxBatches];
    }

    public async Task<AppendResult> AppendAsync(PendingAppend append, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        append.WatchCancellation(ct);
        bool lead;
        var lane = 0;
        lock (_gate)
        {
            _queue.Add(append);
            // A busy stream's lane takes this append when its batch ends; a new lane could not take it now.
            lead = _leaders < _maxBatches && !_inFlight.Contains(append.StreamId);
            if (lead)
            {
                lane = TakeLane();
            }
        }

        if (lead)
        {
            await LeadAsync(append, lane).ConfigureAwait(false);
        }

        return await append.Task.ConfigureAwait(false);
    }

    /// <summary>Commits batches until nothing is left to take; once its own append is done it hands the rest to a pool thread.</summary>
    private async Task LeadAsync(PendingAppend? own, int lane)
    {
        var batch = new List<PendingAppend>(MaxAppendsPerBatch);
        while (true)
        {
            lock (_gate)
            {
                if (!TakeBatch(batch))
                {
                    ReleaseLane(lane);
                    return;
                }
            }

            try
            {
                await CommitAsync(batch, lane).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Never leave the lane without a leader: fail this batch and go on with the queue.
                foreach (var append in batch)
                {
                    append.Fail(PgErrors.Map(ex, _settings) ?? ex);
                }
            }

            lock (_gate)
            {
                foreach (var append in batch)
                {
                    _inFlight.Remove(append.StreamId);
                }
            }

            Deliver(batch, own);
            if (own is not null && own.Task.IsCompleted)
            {
                bool more;
                lock (_gate)
                {
                    more = _queue.Count > 0;
                    if (!more)
                    {
                        ReleaseLane(lane);
                    }
                }

                if (more)
                {
                    _ = Task.Run(() => LeadAsync(null, lane)); // the lane passes on; _leaders stays counted
                }

                return;
            }
        }
    }

    /// <summary>Under the gate: a new leader counts itself and takes the lowest lane number no leader holds.</summary>
    private int TakeLane()
    {
        _leaders++;
        var lane = Array.IndexOf(_lanes, false);
        _lanes[lane] = true;
        return lane;
    }

    /// <summary>Under the gate: a leader leaves, freeing its lane number.</summary>
    private void ReleaseLane(int lane)
    {
        _leaders--;
        _lanes[lane] = false;
    }

    /// <summary>
    /// Hands out a finished batch's outcomes. The leader's own append completes here (nobody awaits it yet);
    /// the others complete in one pool work item, so callers' continuations never run on the committer and
    /// a batch of n appends costs one thread wake-up, not n.
    /// </summary>
    private static void Deliver(List<PendingAppend> batch, PendingAppend? own)
    {
        var others = new PendingAppend[own is not null && batch.Contains(own) ? batch.Count - 1 : batch.Count];
        var k = 0;
        foreach (var append in batch)
        {
            if (ReferenceEquals(append, own))
            {
                append.Publish();
            }
            else
            {
                others[k++] = append;
            }
        }

        if (others.Length > 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static list =>
            {
                foreach (var append in list)
                {
                    append.Publish();
                }
            }, others, preferLocal: false);
        }
    }

    /// <summary>
    /// Under the gate: takes the queued appends this lane may commit now, in arrival order, skipping streams
    /// that another lane is committing (and every later append of a skipped stream, so each stream keeps its
    /// order), and marks their streams in flight. Cancelled appends are dropped.
    /// </summary>
    private bool TakeBatch(List<PendingAppend> batch)
    {
        batch.Clear();
        HashSet<string>? skipped = null;
        var events = 0;
        var kept = 0;
        var i = 0;
        for (; i < _queue.Count && batch.Count < MaxAppendsPerBatch; i++)
        {
            var next = _queue[i];
            var fits = batch.Count == 0 || events + next.Count <= PendingAppend.MaxEventsPerTransaction;
            if (fits && !_inFlight.Contains(next.StreamId) && (skipped is null || !skipped.Contains(next.StreamId)))
            {
                if (next.TryTake())
                {
                    batch.Add(next);
                    events += next.Count;
                }

                continue;
            }

            (skipped ??= new HashSet<string>(StringComparer.Ordinal)).Add(next.StreamId);
            _queue[kept++] = next;
        }

        // Close the gap left by the taken appends; the untouched tail keeps its order.
        if (kept < i)
        {
            _queue.RemoveRange(kept, i - kept);
        }

        foreach (var append in batch)
        {
            _inFlight.Add(append.StreamId);
        }

        if (batch.Count > 1)
        {
            // Stable by stream name, so concurrent transactions lock streams in one order.
            var order = batch.Select((a, n) => (a, n)).OrderBy(x => x.a.StreamId, StringComparer.Ordinal).ThenBy(x => x.n).Select(x => x.a).ToList();
            batch.Clear();
            batch.AddRange(order);
        }

        return batch.Count > 0;
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        while (true)
        {
            bool lead;
            var lane = 0;
            lock (_gate)
            {
                if (_leaders == 0 && _queue.Count == 0)
                {
                    return;
                }

                lead = _leaders == 0;
                if (lead)
                {
                    lane = TakeLane();
                }
            }

            if (lead)
            {
                await LeadAsync(null, lane).ConfigureAwait(false);
            }
            else
            {
                await Task.Delay(1).ConfigureAwait(false);
            }
        }
    }
}
