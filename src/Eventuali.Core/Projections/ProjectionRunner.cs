using Eventuali.Diagnostics;
using Eventuali.Subscriptions;

namespace Eventuali.Projections;

/// <summary>One projection's loop on one node: take the lease, then read, apply and commit batches until stopped.</summary>
internal sealed partial class ProjectionRunner(Projection projection, IEventStore store, IProjectionStore projections, ProjectionDaemonOptions options, Action<ProjectionLeaseEvent> leaseChanged,
    int? partition = null, PartitionBalancer? balancer = null)
{
    private readonly EventFilter _filter = projection.Filter;
    private volatile bool _isLeader;
    private bool _denied;
    private volatile Tuple<ProjectionLeaseEvent?, DateTimeOffset?> _leaseChange = Tuple.Create<ProjectionLeaseEvent?, DateTimeOffset?>(null, null);
    private volatile Exception? _lastError;
    private ConsumerLag? _lag;

    /// <summary>The lease and position name: the projection's, or <c>projection#partition</c>.</summary>
    public string Name { get; } = partition is { } p ? ProjectionPartitions.Name(projection.Name, p) : projection.Name;

    public string ProjectionName => projection.Name;

    public int? Partition => partition;

    public bool IsLeader => _isLeader;

    public Exception? LastError => _lastError;

    public ProjectionLeaseStatus LeaseStatus
    {
        get
        {
            var (change, at) = _leaseChange;
            return new ProjectionLeaseStatus(Name, _isLeader, change?.Change == ProjectionLeaseChange.Acquired ? change.Epoch : 0, change, at);
        }
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        ConsumerTelemetry.Detach();
        if (balancer is not null)
        {
            await balancer.FirstBeat.WaitAsync(stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        while (!stopping.IsCancellationRequested)
        {
            IProjectionLease? lease = null;
            Exception? failure = null;
            // At its share of the partitions this node leaves the rest to the others.
            var tries = balancer?.TryReserve() != false;
            try
            {
                lease = tries ? await projections.TryAcquireProjectionAsync(Name, options.NodeId, options.Lease, stopping).ConfigureAwait(false) : null;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _lastError = failure = ex;
            }
            finally
            {
                if (tries && lease is null)
                {
                    balancer?.Gave();
                }
            }

            if (lease is not null)
            {
                Retry.Succeeded(); // the store answered: failures after this start a fresh count
                _denied = false;
                LeaseTelemetry.Acquired(Name);
                Report(new ProjectionLeaseEvent(Name, ProjectionLeaseChange.Acquired, lease.Epoch, null));
                failure = await LeadAsync(lease, stopping).ConfigureAwait(false);
            }
            else if (failure is null && tries)
            {
                LeaseTelemetry.Denied(Name);
                if (!_denied)
                {
                    _denied = true;
                    Report(new ProjectionLeaseEvent(Name, ProjectionLeaseChange.Denied, 0, null));
                }
            }

            if (!await AfterTurnAsync(failure, stopping).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Leads until stopped, until the lease is lost, or until something fails; returns the failure (null when stopped or lost).</summary>
    private async Task<Exception?> LeadAsync(IProjectionLease lease, CancellationToken stopping)
    {
        Exception? released = null;
        var lost = false;
        var shed = false;
        await using (lease.ConfigureAwait(false))
        {
            _isLeader = true;
            using var lag = _lag = ConsumerLag.Start(ConsumerKind.Projection, Name);
            // Waits end when the lease is lost; a batch in flight goes on to its commit, which the epoch check refuses.
            using var leading = CancellationTokenSource.CreateLinkedTokenSource(stopping, lease.Lost);
            try
            {
                shed = await RunLeaderAsync(lease, stopping, leading.Token).ConfigureAwait(false);
                return null;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                await MarkStoppedAsync(lease).ConfigureAwait(false);
                return null;
            }
            catch (Exception ex) when (ex is LeaseLostException || (ex is OperationCanceledException && lease.Lost.IsCancellationRequested))
            {
                var error = ex as LeaseLostException ?? new LeaseLostException(Name, lease.Epoch, false, "it could not be renewed in time", ex);
                _lastError = error;
                lost = true;
                LeaseTelemetry.Lost(Name, error.CommitRefused);
                Report(new ProjectionLeaseEvent(Name, ProjectionLeaseChange.Lost, lease.Epoch, error));
                return null;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Store trouble: give the projection up; this node or another takes it again.
                _lastError = released = ex;
                return ex;
            }
            finally
            {
                _isLeader = false;
                if (!shed)
                {
                    balancer?.Gave();
                }

                if (!lost)
                {
                    Report(new ProjectionLeaseEvent(Name, ProjectionLeaseChange.Released, lease.Epoch, released));
                }
            }
        }
    }

    /// <summary>Leads until stopped or lost (throws), or until this node holds more than its share of partitions (returns true: give this one up).</summary>
    private async Task<bool> RunLeaderAsync(IProjectionLease lease, CancellationToken ct, CancellationToken leading)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            leading.ThrowIfCancellationRequested();
            if (balancer?.TryShed() == true)
            {
                return true;
            }

            // Taken before reading, so an append committed after the read still wakes the wait below.
            var appended = store.GetFeature<IAppendNotifications>()?.NextAppendSignal();
            var row = await lease.LoadAsync(ct).ConfigureAwait(false);
            if (row.RequestedFrom is { } from)
            {
                await BeginRebuildAsync(lease, row, from, ct).ConfigureAwait(false);
                continue;
            }

            if (row.RetryRequests > 0)
            {
                await RetryDeadLettersAsync(lease, row, ct).ConfigureAwait(false);
                continue;
            }

            if (row.State == ProjectionState.Faulted)
            {
                // Stays before the failing event until a rebuild is requested or the daemon restarts.
                await Task.Delay(options.PollInterval, options.TimeProvider, leading).ConfigureAwait(false);
                continue;
            }

            // The head is read before the page: every matching event up to it is then in the page unless the page is full.
            var head = await store.GetHeadPositionAsync(ct).ConfigureAwait(false);
            var page = new List<RecordedEvent>();
            await foreach (var e in store.ReadAllAsync(row.Position + 1, options.BatchSize, _filter, ct).ConfigureAwait(false))
            {
                page.Add(e);
            }

            var through = page.Count < options.BatchSize ? Math.Max(head, page.Count > 0 ? page[^1].Position : row.Position) : page[^1].Position;
            _lag?.Set(head - row.Position, page.Count == 0 ? TimeSpan.Zero : options.TimeProvider.GetUtcNow() - page[0].Timestamp);
            if (partition is { } mine)
            {
                // Every node reads the whole filtered log; each partition applies its own streams (positions still advance past the rest).
                page.RemoveAll(e => ProjectionPartitions.Of(e.StreamId, projection.Partitions) != mine);
            }

            if (page.Count == 0)
            {
                var state = StateAt(row, through);
                if (through != row.Position || state != row.State || row.Owner != options.NodeId)
                {
                    await SaveAsync(lease, new ProjectionProgress(through, state, null, TargetAt(row, through)), ct).ConfigureAwait(false);
                }
                else
                {
                    await WaitForAppendAsync(appended, leading).ConfigureAwait(false);
                }

                continue;
            }

            await ApplyPageAsync(lease, row, page, through, ct).ConfigureAwait(false);
        }
    }

    private async Task BeginRebuildAsync(IProjectionLease lease, ProjectionRow row, long from, CancellationToken ct)
    {
        var head = await store.GetHeadPositionAsync(ct).ConfigureAwait(false);
        var tx = await lease.BeginAsync(ct).ConfigureAwait(false);
        await using (tx.ConfigureAwait(false))
        {
            // A partition shares the read model with the others: it cannot clear it alone (see docs/high-availability.md).
            if (from == 0 && partition is null)
            {
                await tx.ClearDocumentsAsync(ct).ConfigureAwait(false);
            }

            var state = from < head ? ProjectionState.Rebuilding : ProjectionState.Running;
            await tx.SaveProgressAsync(new ProjectionProgress(from, state, null, from < head ? head : null, row.RequestSequence), ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }
    }

    private static ProjectionState StateAt(ProjectionRow row, long position)
        => row.RebuildTarget is { } target && position < target ? ProjectionState.Rebuilding : ProjectionState.Running;

    private static long? TargetAt(ProjectionRow row, long position)
        => row.RebuildTarget is { } target && position < target ? target : null;

    private static async Task SaveAsync(IProjectionLease lease, ProjectionProgress progress, CancellationToken ct)
    {
        var tx = await lease.BeginAsync(ct).ConfigureAwait(false);
        await using (tx.ConfigureAwait(false))
        {
            await tx.SaveProgressAsync(progress, ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }
    }

    private async Task MarkStoppedAsync(IProjectionLease lease)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var row = await lease.LoadAsync(timeout.Token).ConfigureAwait(false);
            // A rebuild stopped midway keeps its target: the next leader resumes it as a rebuild.
            if (row.State is ProjectionState.Running or ProjectionState.Rebuilding)
            {
                await SaveAsync(lease, new ProjectionProgress(row.Position, ProjectionState.Stopped, null, row.RebuildTarget), timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Best effort: the row then still says running; the next leader corrects it.
            _lastError = ex;
        }
    }

    /// <summary>Caught up: waits for the store's append signal, or at most the poll interval (rebuild requests, other processes' appends).</summary>
    private async Task WaitForAppendAsync(Task? appended, CancellationToken ct)
    {
        if (appended is null)
        {
            await DelayAsync(options.PollInterval, ct).ConfigureAwait(false);
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var delay = Task.Delay(options.PollInterval, options.TimeProvider, linked.Token);
        await Task.WhenAny(appended, delay).ConfigureAwait(false);
        await linked.CancelAsync().ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>Waits; false when stopping was requested meanwhile.</summary>
    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, options.TimeProvider, ct).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private void Report(ProjectionLeaseEvent change)
    {
        _leaseChange = Tuple.Create<ProjectionLeaseEvent?, DateTimeOffset?>(change, options.TimeProvider.GetUtcNow());
        leaseChanged(change);
    }

    /// <summary>For a rebuild asked before the first run: waits until some node has created the row.</summary>
    public async Task WaitForRowAsync(CancellationToken ct)
    {
        while ((await projections.ListProjectionsAsync(ct).ConfigureAwait(false)).All(r => r.Name != Name))
        {
            await Task.Delay(options.PollInterval, options.TimeProvider, ct).ConfigureAwait(false);
        }
    }
}
