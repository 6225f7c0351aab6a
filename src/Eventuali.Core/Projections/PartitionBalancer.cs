namespace Eventuali.Projections;

/// <summary>
/// Shares a partitioned projection's partitions among live nodes: this node beats in the membership group (the
/// projection's name) and aims to hold ceil(partitions / live nodes). Its runners take a free partition only below
/// that share, and give one up (at a batch boundary) above it: a node that joins gets partitions from the others, a
/// node that dies drops out of the group and its partitions are taken by the rest once their leases are free.
/// </summary>
internal sealed class PartitionBalancer(Projection projection, IProjectionMembership? membership, ProjectionDaemonOptions options)
{
    private readonly TaskCompletionSource _firstBeat = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;
    private volatile int _target = membership is null ? projection.Partitions : 1;

    public Task FirstBeat => membership is null ? Task.CompletedTask : _firstBeat.Task;

    public int Target => _target;

    /// <summary>
    /// Below the share: reserves one partition of it (true) before the caller tries a lease. Checking and counting in
    /// one step matters: the runners try at the same moment, and a check alone let a starting node take every partition
    /// and hand the surplus over one by one afterwards. The caller calls <see cref="Gave"/> when it did not get the lease.
    /// </summary>
    public bool TryReserve()
    {
        while (true)
        {
            var held = Volatile.Read(ref _held);
            if (held >= _target)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _held, held + 1, held) == held)
            {
                return true;
            }
        }
    }

    public void Gave() => Interlocked.Decrement(ref _held);

    /// <summary>Above the share: reserves giving one partition up (true; the caller releases it and does not call <see cref="Gave"/>).</summary>
    public bool TryShed()
    {
        while (true)
        {
            var held = Volatile.Read(ref _held);
            if (held <= _target)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _held, held - 1, held) == held)
            {
                return true;
            }
        }
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        if (membership is null)
        {
            return;
        }

        var ttl = options.Lease.Duration;
        var every = options.LeaseRetryInterval < ttl / 3 ? options.LeaseRetryInterval : ttl / 3;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    var live = await membership.BeatAsync(projection.Name, options.NodeId, ttl, stopping).ConfigureAwait(false);
                    var nodes = Math.Max(1, live.Count);
                    _target = (projection.Partitions + nodes - 1) / nodes;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException && !stopping.IsCancellationRequested)
                {
                    // Store trouble: keep the last share; the leases themselves keep the partitions safe.
                }

                _firstBeat.TrySetResult();
                await Task.Delay(every, options.TimeProvider, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            _firstBeat.TrySetResult();
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await membership.LeaveAsync(projection.Name, options.NodeId, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Best effort: the membership row expires.
            }
        }
    }
}
