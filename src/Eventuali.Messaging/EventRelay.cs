using Eventuali.Diagnostics;
using Eventuali.Projections;

namespace Eventuali.Messaging;

/// <summary>
/// Publishes one route of the log to a broker: the log is the outbox. It holds the route's lease (one relay per route
/// across nodes), reads the log after the confirmed checkpoint in batches, publishes each batch and moves the checkpoint
/// only once the broker confirmed it, after checking nobody else moved it (fencing). A broker that fails pauses the
/// relay (retrying with back-off); the writers never wait for it. Delivery is at least once, in order per stream.
/// </summary>
public sealed partial class EventRelay
{
    private readonly IEventStore _store;
    private readonly IMessagePublisher _publisher;
    private readonly RelayRoute _route;
    private readonly RelayOptions _options;
    private readonly IProjectionStore _leases;
    private volatile Exception? _lastError;
    private volatile bool _isLeader;
    private volatile bool _isPaused;
    private long _published;

    /// <summary>A relay of <paramref name="route"/> from <paramref name="store"/> to <paramref name="publisher"/>.</summary>
    public EventRelay(IEventStore store, IMessagePublisher publisher, RelayRoute route, RelayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(route);
        route.Validate();
        _store = store;
        _publisher = publisher;
        _route = route;
        _options = options ?? new RelayOptions();
        if (_options.MaxBatchesInFlight is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.MaxBatchesInFlight, $"Relay route '{route.Name}': {nameof(RelayOptions.MaxBatchesInFlight)} must be 1-64.");
        }

        _leases = store.GetFeature<IProjectionStore>()
            ?? throw new NotSupportedException($"The store type {store.GetType().FullName} keeps no leases or checkpoints for relays (it does not implement {nameof(IProjectionStore)}).");
    }

    /// <summary>The route.</summary>
    public RelayRoute Route => _route;

    /// <summary>Whether this relay holds the route's lease now.</summary>
    public bool IsLeader => _isLeader;

    /// <summary>Whether publishing is failing and being retried (the broker is down or refusing).</summary>
    public bool IsPaused => _isPaused;

    /// <summary>The last error (publish, store or lease), or null.</summary>
    public Exception? LastError => _lastError;

    /// <summary>Messages the broker confirmed since this relay started (a batch published again counts again).</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled: takes the lease when free, then publishes. Throws
    /// <see cref="BrokerConfigurationException"/> when the broker refuses the configuration (retrying cannot help).
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var name = RelayRoute.LeaseName(_route.Name);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var lease = await _leases.TryAcquireProjectionAsync(name, _options.NodeId, cancellationToken).ConfigureAwait(false);
                if (lease is not null)
                {
                    await using (lease.ConfigureAwait(false))
                    {
                        await LeadAsync(lease, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (BrokerConfigurationException ex)
            {
                // The broker refuses the route's configuration: retrying cannot help, so the relay stops with it.
                _lastError = ex;
                throw;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Store trouble or a lost lease: give the route up; this node or another takes it again.
                _lastError = ex;
            }

            if (!await DelayAsync(_options.LeaseRetryInterval, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private async Task LeadAsync(IProjectionLease lease, CancellationToken ct)
    {
        _isLeader = true;
        using var lag = ConsumerLag.Start(ConsumerKind.Relay, _route.Name);
        var reader = new RelayPageReader(_store, _route);

        // Loaded once: afterwards this relay is the only writer of the checkpoint, and SaveAsync's fence check
        // catches anyone who moved it anyway.
        var lead = new LeadState(lease, (await lease.LoadAsync(ct).ConfigureAwait(false)).Position, _options.RetryDelay);
        var window = new RelayWindow();

        // Pipelined, each step still in order: the next page is read while earlier ones are out, up to
        // MaxBatchesInFlight batches are sent before the oldest must be confirmed, and the checkpoint of the confirmed
        // prefix is saved meanwhile. One save at a time, always of a position below which every batch was confirmed.
        var next = reader.ReadAsync(lead.Confirmed, ct);
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var page = await next.ConfigureAwait(false);
                lag.Set(page.Head - lead.Confirmed, page.Events.Count == 0 ? TimeSpan.Zero : _options.TimeProvider.GetUtcNow() - page.Events[0].Timestamp);
                if (page.Events.Count == 0)
                {
                    // Caught up: every batch out is confirmed, then the checkpoint goes to what was confirmed (or past
                    // filtered-out events) before waiting.
                    if (!await ConfirmAsync(window, lead, keep: 0, onlyDone: false, ct).ConfigureAwait(false))
                    {
                        next = await RecoverAsync(reader, window, lead, next, ct).ConfigureAwait(false);
                        continue;
                    }

                    if (lead.Saving is not null)
                    {
                        lead.Saved = await lead.Saving.ConfigureAwait(false);
                        lead.Saving = null;
                    }

                    if (page.Through != lead.Saved)
                    {
                        await SaveAsync(lease, lead.Saved, page.Through, ct).ConfigureAwait(false);
                        lead.Saved = lead.Confirmed = page.Through;
                    }
                    else
                    {
                        await WaitForAppendAsync(page.Appended, ct).ConfigureAwait(false);
                    }

                    next = reader.ReadAsync(lead.Confirmed, ct);
                    continue;
                }

                // On the thread pool: a store whose reads complete synchronously (SQLite) would otherwise read the whole
                // page before the publish below even starts.
                var after = page.Through;
                next = Task.Run(() => reader.ReadAsync(after, ct), ct);
                var sent = await ConfirmAsync(window, lead, keep: _options.MaxBatchesInFlight - 1, onlyDone: false, ct).ConfigureAwait(false);
                if (sent && !await SendAsync(window, reader.Messages(page), page.Through, ct).ConfigureAwait(false))
                {
                    // The batches sent before the one that could not be may still confirm: taken first, so the relay
                    // publishes again from the one that failed.
                    await ConfirmAsync(window, lead, keep: 0, onlyDone: false, ct).ConfigureAwait(false);
                    sent = false;
                }

                if (!sent || !await ConfirmAsync(window, lead, keep: 0, onlyDone: true, ct).ConfigureAwait(false))
                {
                    next = await RecoverAsync(reader, window, lead, next, ct).ConfigureAwait(false);
                    continue;
                }

                lag.Set(page.Head - lead.Confirmed, TimeSpan.Zero);
            }
        }
        finally
        {
            _isLeader = false;

            // Nothing outlives the lead: the lease is released after this returns. A failed save, read or batch was
            // either already handled above or belongs to a lead that is ending anyway.
            await window.AbandonAsync().ConfigureAwait(false);
            await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (lead.Saving is not null)
            {
                await ((Task)lead.Saving).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Moves the checkpoint from <paramref name="from"/> to <paramref name="to"/>, unless someone else moved it meanwhile.</summary>
    private async Task<long> SaveAsync(IProjectionLease lease, long from, long to, CancellationToken ct)
    {
        // The lease keeps other relays out; this check catches a route taken over anyway (a lease lost unnoticed).
        var now = await lease.LoadAsync(ct).ConfigureAwait(false);
        if (now.Position != from)
        {
            throw new RelayFencedException(_route.Name, from, now.Position, now.Owner);
        }

        var tx = await lease.BeginAsync(ct).ConfigureAwait(false);
        await using (tx.ConfigureAwait(false))
        {
            await tx.SaveProgressAsync(new ProjectionProgress(to, ProjectionState.Running, null, null), ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }

        return to;
    }

    private async Task WaitForAppendAsync(Task? appended, CancellationToken ct)
    {
        if (appended is null)
        {
            await Task.Delay(_options.PollInterval, _options.TimeProvider, ct).ConfigureAwait(false);
            return;
        }

        await appended.WaitAsync(_options.PollInterval, _options.TimeProvider, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ct.ThrowIfCancellationRequested();
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, _options.TimeProvider, ct).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
