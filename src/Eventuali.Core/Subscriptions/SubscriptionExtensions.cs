namespace Eventuali.Subscriptions;

/// <summary>
/// Catch-up subscriptions as async streams: read the store from a checkpoint in large pages, then wait for the
/// store's append signal (<see cref="IAppendNotifications"/>) and read again. Catching up and going live are the
/// same loop, so the switch can neither lose nor repeat an event: every read starts just after the last event
/// delivered. The enumeration ends only when cancelled (it then throws <see cref="OperationCanceledException"/>).
/// </summary>
public static class SubscriptionExtensions
{
    /// <summary>How often a store without <see cref="IAppendNotifications"/> is polled.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Catch-up from the global log, then live: yields every event with Position &gt; <paramref name="afterPosition"/>
    /// that matches <paramref name="filter"/>, in position order, never skipping, never ending until cancelled.
    /// </summary>
    public static IAsyncEnumerable<RecordedEvent> SubscribeToAllAsync(this IEventStore store, long afterPosition = 0, EventFilter? filter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        return CatchUp.AllAsync(store, afterPosition, filter, null, NewRetry(store, null, $"subscription to all after position {afterPosition}"), cancellationToken);
    }

    /// <summary>
    /// As <see cref="SubscribeToAllAsync(IEventStore, long, EventFilter?, CancellationToken)"/>, riding out transient
    /// store errors as <paramref name="retry"/> says (null: <see cref="SubscriptionRetryOptions.Default"/>). Giving up
    /// throws <see cref="StoreRetryException"/> from the enumeration.
    /// </summary>
    public static IAsyncEnumerable<RecordedEvent> SubscribeToAllAsync(this IEventStore store, long afterPosition, EventFilter? filter, SubscriptionRetryOptions? retry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        return CatchUp.AllAsync(store, afterPosition, filter, null, NewRetry(store, retry, $"subscription to all after position {afterPosition}"), cancellationToken);
    }

    /// <summary>
    /// Catch-up from one stream, then live: yields every event of <paramref name="streamId"/> with
    /// StreamVersion &gt; <paramref name="afterVersion"/>, in version order, never ending until cancelled.
    /// A stream that does not exist yet is waited for.
    /// </summary>
    public static IAsyncEnumerable<RecordedEvent> SubscribeToStreamAsync(this IEventStore store, string streamId, long afterVersion = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        AppendValidation.ValidateStreamId(streamId);
        ArgumentOutOfRangeException.ThrowIfNegative(afterVersion);
        return CatchUp.StreamAsync(store, streamId, afterVersion, null, NewRetry(store, null, $"subscription to stream '{streamId}'"), cancellationToken);
    }

    /// <summary>
    /// As <see cref="SubscribeToStreamAsync(IEventStore, string, long, CancellationToken)"/>, riding out transient store
    /// errors as <paramref name="retry"/> says (null: <see cref="SubscriptionRetryOptions.Default"/>).
    /// </summary>
    public static IAsyncEnumerable<RecordedEvent> SubscribeToStreamAsync(this IEventStore store, string streamId, long afterVersion, SubscriptionRetryOptions? retry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        AppendValidation.ValidateStreamId(streamId);
        ArgumentOutOfRangeException.ThrowIfNegative(afterVersion);
        return CatchUp.StreamAsync(store, streamId, afterVersion, null, NewRetry(store, retry, $"subscription to stream '{streamId}'"), cancellationToken);
    }

    internal static StoreRetry NewRetry(IEventStore store, SubscriptionRetryOptions? retry, string operation, TimeProvider? clock = null)
    {
        retry ??= SubscriptionRetryOptions.Default;
        return new StoreRetry(retry, retry.TimeProvider ?? clock ?? store.Options.TimeProvider, operation);
    }

    /// <summary>The store's checkpoints; throws <see cref="NotSupportedException"/> naming the store type when it keeps none.</summary>
    public static ICheckpointStore GetCheckpointStore(this IEventStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.GetFeature<ICheckpointStore>()
            ?? throw new NotSupportedException($"The store type {store.GetType().FullName} does not keep checkpoints (it does not implement {nameof(ICheckpointStore)}).");
    }

    /// <summary>
    /// Starts a handler-based subscription (see <see cref="CatchUpSubscription"/>): from the checkpoint stored under
    /// <see cref="SubscriptionOptions.Name"/> (or <see cref="SubscriptionOptions.StartAfter"/>), through the log or
    /// one stream, then live, until <paramref name="cancellationToken"/> is cancelled or it is stopped.
    /// The store must keep checkpoints (<see cref="ICheckpointStore"/>).
    /// </summary>
    public static CatchUpSubscription StartSubscription(this IEventStore store, SubscriptionOptions options, Func<RecordedEvent, CancellationToken, ValueTask> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        options.Validate();
        return new CatchUpSubscription(store, options, handler, cancellationToken);
    }
}
