namespace Eventuali.Projections;

/// <summary>
/// Runs async projections: each one reads the global log from its stored position, applies batches and
/// stores read-model changes with the new position in one transaction. Several daemons (nodes) may run the
/// same projections on one store; each projection runs on one of them at a time and another takes over when
/// the leader goes away. Shaped like an IHostedService: <see cref="StartAsync"/> / <see cref="StopAsync"/>.
/// </summary>
public sealed class ProjectionDaemon : IAsyncDisposable
{
    private readonly IEventStore _store;
    private readonly IReadOnlyList<ProjectionRunner> _runners;
    private readonly IReadOnlyList<PartitionBalancer> _balancers;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _stopping;
    private Task? _running;

    /// <summary>Creates a daemon that runs <paramref name="projections"/> over <paramref name="store"/>; call <see cref="StartAsync"/> to begin.</summary>
    public ProjectionDaemon(IEventStore store, IEnumerable<Projection> projections, ProjectionDaemonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(projections);
        Options = options ?? new ProjectionDaemonOptions();
        Options.Validate();
        var projectionStore = store.GetProjectionStore();
        _store = store;
        var list = projections.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("A projection daemon needs at least one projection.", nameof(projections));
        }

        if (list.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"Two projections are named '{twice.Key}'.", nameof(projections));
        }

        if (list.FirstOrDefault(p => p.EventTypes.Count == 0) is { } empty)
        {
            throw new ArgumentException($"Projection '{empty.Name}' handles no event type; register handlers with On(...).", nameof(projections));
        }

        var runners = new List<ProjectionRunner>();
        var balancers = new List<PartitionBalancer>();
        var membership = store.GetFeature<IProjectionMembership>();
        foreach (var p in list)
        {
            if (p.Partitions == 1)
            {
                runners.Add(new ProjectionRunner(p, store, projectionStore, Options, OnLeaseChanged));
                continue;
            }

            var balancer = new PartitionBalancer(p, membership, Options);
            balancers.Add(balancer);
            runners.AddRange(Enumerable.Range(0, p.Partitions).Select(i => new ProjectionRunner(p, store, projectionStore, Options, OnLeaseChanged, i, balancer)));
        }

        _runners = runners;
        _balancers = balancers;
    }

    /// <summary>The options the daemon was created with.</summary>
    public ProjectionDaemonOptions Options { get; }

    /// <summary>
    /// Raised on this node's lease changes: taken, denied (once per run of denials), lost (another node holds it now or
    /// renewal failed) and released. Handlers run on the projection's loop: keep them short and never throw.
    /// </summary>
    public event EventHandler<ProjectionLeaseEvent>? LeaseChanged;

    /// <summary>
    /// Whether this node currently runs <paramref name="name"/> (holds its lease): a projection, a partition
    /// (<c>projection#n</c>), or, for a partitioned projection's name, any of its partitions.
    /// </summary>
    public bool IsLeader(string name) => Runners(name).Any(r => r.IsLeader);

    /// <summary>The partitions of <paramref name="projection"/> this node runs now, ascending (empty for an unpartitioned projection).</summary>
    public IReadOnlyList<int> LeadPartitions(string projection)
        => [.. Runners(projection).Where(r => r.IsLeader && r.Partition is not null).Select(r => r.Partition!.Value)];

    /// <summary>Every projection's lease as this node sees it: leader or standby, the epoch held, the last change (a loss included) and when.</summary>
    public IReadOnlyList<ProjectionLeaseStatus> GetLeaseStatuses() => [.. _runners.Select(r => r.LeaseStatus)];

    /// <summary>The last error this node met while running <paramref name="name"/> (store trouble or a failing handler), or null.</summary>
    public Exception? LastError(string name) => Runners(name).Select(r => r.LastError).FirstOrDefault(e => e is not null);

    /// <summary>Starts every projection's loop in the background and returns.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_running is not null)
            {
                throw new InvalidOperationException("The projection daemon is already running.");
            }

            _stopping = new CancellationTokenSource();
            var token = _stopping.Token;
            _running = Task.WhenAll(
                _runners.Select(r => Task.Run(() => r.RunAsync(token), CancellationToken.None))
                    .Concat(_balancers.Select(b => Task.Run(() => b.RunAsync(token), CancellationToken.None))));
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops every loop: a batch in flight is rolled back or committed whole, the state becomes stopped and the
    /// leases are released. Returns early (leaving the loops to finish) if <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        Task? running;
        CancellationTokenSource? stopping;
        lock (_gate)
        {
            running = _running;
            stopping = _stopping;
            _running = null;
            _stopping = null;
        }

        if (running is null || stopping is null)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (running.IsCompleted)
            {
                stopping.Dispose();
            }
        }
    }

    /// <summary>Status of one projection as stored (position, lag, state, owner node, dead letters).</summary>
    public async ValueTask<ProjectionStatus> GetStatusAsync(string name, CancellationToken cancellationToken = default)
    {
        _ = Runner(name);
        return await _store.GetProjectionStatusAsync(name, cancellationToken).ConfigureAwait(false)
            ?? new ProjectionStatus(name, 0, await _store.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false), ProjectionState.Stopped, null, null, 0, null, Options.TimeProvider.GetUtcNow());
    }

    /// <summary>
    /// Asks for a rebuild from <paramref name="fromPosition"/> (0: from zero, clearing the built-in read model). For a
    /// partitioned projection's name every partition rebuilds; the shared read model is not cleared (see docs/high-availability.md).
    /// </summary>
    public async ValueTask RebuildAsync(string name, long fromPosition = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromPosition);
        foreach (var runner in Runners(name))
        {
            if (!await _store.GetProjectionStore().RequestProjectionRebuildAsync(runner.Name, fromPosition, cancellationToken).ConfigureAwait(false))
            {
                // Never run yet: the row appears once a node takes the projection; ask again then.
                await runner.WaitForRowAsync(cancellationToken).ConfigureAwait(false);
                await _store.GetProjectionStore().RequestProjectionRebuildAsync(runner.Name, fromPosition, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Waits until <paramref name="name"/> has caught up with the head as of now (throws if it faults). For a partitioned
    /// projection's name: until every partition has (the status returned is the last partition's).
    /// </summary>
    public async Task<ProjectionStatus> WaitForCatchUpAsync(string name, CancellationToken cancellationToken = default)
    {
        ProjectionStatus? last = null;
        foreach (var runner in Runners(name))
        {
            last = await _store.WaitForProjectionAsync(runner.Name, Options.PollInterval, Options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        return last!;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    private void OnLeaseChanged(ProjectionLeaseEvent change)
    {
        try
        {
            LeaseChanged?.Invoke(this, change);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // An observer's failure must not stop the projection.
        }
    }

    private List<ProjectionRunner> Runners(string name)
    {
        var exact = _runners.Where(r => r.Name == name).ToList();
        var partitions = exact.Count > 0 ? exact : [.. _runners.Where(r => r.Partition is not null && r.ProjectionName == name)];
        return partitions.Count > 0 ? partitions : throw new ArgumentException($"This daemon runs no projection named '{name}'.", nameof(name));
    }

    private ProjectionRunner Runner(string name)
        => _runners.FirstOrDefault(r => r.Name == name) ?? throw new ArgumentException($"This daemon runs no projection named '{name}'.", nameof(name));
}
