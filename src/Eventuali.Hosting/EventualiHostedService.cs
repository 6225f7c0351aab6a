using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Eventuali.Hosting;

/// <summary>
/// A long-running loop owned by the host: started with it, cancelled and awaited when it stops (returning early only
/// when the host's shutdown timeout fires). A loop that ends with an error is logged and marked faulted, which the
/// liveness check reports; the host itself keeps running.
/// </summary>
internal abstract class EventualiHostedService(string service, EventualiServiceStates states, ILogger logger) : IHostedService, IAsyncDisposable
{
    private CancellationTokenSource? _stopping;
    private Task? _running;

    protected string Service { get; } = service;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _stopping = new CancellationTokenSource();
        var token = _stopping.Token;
        states.Set(Service, EventualiServiceState.Running);
        _running = Task.Run(() => WatchAsync(token), CancellationToken.None);
        Log.ServiceStarted(logger, Service);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_running is null || _stopping is null)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.ServiceStopAbandoned(logger, Service);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping?.Dispose();
    }

    /// <summary>Runs until <paramref name="stopping"/> fires (then returns or throws OperationCanceledException) or fails.</summary>
    protected abstract Task RunAsync(CancellationToken stopping);

    private async Task WatchAsync(CancellationToken stopping)
    {
        try
        {
            await RunAsync(stopping).ConfigureAwait(false);
            Log.ServiceStopped(logger, Service);
            states.Set(Service, EventualiServiceState.Stopped);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            Log.ServiceStopped(logger, Service);
            states.Set(Service, EventualiServiceState.Stopped);
        }
#pragma warning disable CA1031 // the loop's failure is recorded and reported by the liveness check, not rethrown into the host
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // Logged before the state changes, so whoever sees "faulted" finds the log entry already written.
            Log.ServiceFaulted(logger, Service, ex);
            states.Set(Service, EventualiServiceState.Faulted, ex);
        }
    }
}
