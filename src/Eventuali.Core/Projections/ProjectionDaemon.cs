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

        _runners = [.. list.Select(p => new ProjectionRunner(p, store, projectionStore, Options, OnLeaseChanged))];
    }

    /// <summary>The options the daemon was created with.</summary>
    public ProjectionDaemonOptions Options { get; }

    /// <summary>
    /// Raised on this node's lease changes: taken, denied (once per run of denials), lost (another node holds it now or
    /// renewal failed) and released. Handlers run on the projection's loop: keep them short and never throw.
    /// </summary>
    public event EventHandler<ProjectionLeaseEvent>? LeaseChanged;

    /// <summary>Whether this node currently runs <paramref name="name"/> (holds its lease).</summary>
    public bool IsLeader(string name) => Runner(name).IsLeader;

    /// <summary>Every projection's lease as this node sees it: leader or standby, the epoch held, the last change (a loss included) and when.</summary>
    public IReadOnlyList<ProjectionLeaseStatus> GetLeaseStatuses() => [.. _runners.Select(r => r.LeaseStatus)];

    /// <summary>The last error this node met while running <paramref name="name"/> (store trouble or a failing handler), or null.</summary>
    public Exception? LastError(string name) => Runner(name).LastError;

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
            _running = Task.WhenAll(_runners.Select(r => Task.Run(() => r.RunAsync(token), CancellationToken.None)));
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

    /// <summary>Asks for a rebuild from <paramref name="fromPosition"/> (0: from zero, clearing the built-in read model).</summary>
    public async ValueTask RebuildAsync(string name, long fromPosition = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromPosition);
        var runner = Runner(name);
        if (!await _store.GetProjectionStore().RequestProjectionRebuildAsync(name, fromPosition, cancellationToken).ConfigureAwait(false))
        {
            // Never run yet: the row appears once a node takes the projection; ask again then.
            await runner.WaitForRowAsync(cancellationToken).ConfigureAwait(false);
            await _store.GetProjectionStore().RequestProjectionRebuildAsync(name, fromPosition, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until <paramref name="name"/> has caught up with the head as of now (throws if it faults).</summary>
    public Task<ProjectionStatus> WaitForCatchUpAsync(string name, CancellationToken cancellationToken = default)
    {
        _ = Runner(name);
        return _store.WaitForProjectionAsync(name, Options.PollInterval, Options.TimeProvider, cancellationToken);
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

    private ProjectionRunner Runner(string name)
        => _runners.FirstOrDefault(r => r.Name == name) ?? throw new ArgumentException($"This daemon runs no projection named '{name}'.", nameof(name));
}
