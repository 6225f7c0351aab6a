namespace Eventuali.Streaming;

/// <summary>
/// A subscription whose events are pushed to a handler, one at a time and in order, on the thread pool.
/// Disposing it stops the handler loop and waits for it to finish.
/// </summary>
public sealed class HandledStreamSubscription : IAsyncDisposable
{
    private readonly StreamSubscription _subscription;
    private readonly CancellationTokenSource _stop = new();
    private int _disposed;

    internal HandledStreamSubscription(StreamSubscription subscription, Func<RecordedEvent, CancellationToken, ValueTask> handler)
    {
        _subscription = subscription;
        Completion = Task.Run(() => RunAsync(handler, _stop.Token));
    }

    /// <summary>The subscription's name.</summary>
    public string Name => _subscription.Name;

    /// <summary>What happens when the handler falls behind.</summary>
    public SlowSubscriberPolicy Policy => _subscription.Policy;

    /// <summary>The last position consumed (handled, or skipped by the filter).</summary>
    public long Position => _subscription.Position;

    /// <summary>True while the subscription's buffer is full and it is behind the publisher.</summary>
    public bool IsLagging => _subscription.IsLagging;

    /// <summary>
    /// Completes when the streamer is disposed and every buffered event was handled, or when the subscription is
    /// disposed; faults with the handler's exception or a <see cref="SubscriberOverflowException"/>.
    /// </summary>
    public Task Completion { get; }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _subscription.DisposeAsync().ConfigureAwait(false);

        // The outcome stays observable on Completion; disposing does not rethrow it.
        await Completion.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task RunAsync(Func<RecordedEvent, CancellationToken, ValueTask> handler, CancellationToken cancellationToken)
    {
        await foreach (var e in _subscription.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            await handler(e, cancellationToken).ConfigureAwait(false);
        }
    }
}
