namespace Eventuali.Streaming;

/// <summary>
/// In-process publish/subscribe fan-out of recorded events. The streamer is fed after commit, in position order;
/// every subscriber gets its own bounded buffer of shared batches, its own filter and its own slow-subscriber
/// policy, and sees the events that match it in publish order. Publishing is serialized: several threads may call
/// <c>PublishAsync</c>, but each batch must continue the position order, so in practice the store's post-commit
/// feed is the one publisher. Nothing is durable here: durable consumers read the store.
/// </summary>
public sealed class EventStreamer : IAsyncDisposable
{
    /// <summary>Published batches larger than this are split, so no buffer array lands on the large object heap.</summary>
    public const int MaxBatchSegment = 8192;

    private readonly SemaphoreSlim _publishLock = new(1, 1);
    private readonly Lock _registry = new();
    private Subscriber[] _subscribers = [];
    private long _published;
    private int _nextId;
    private bool _completed;

    /// <param name="store">
    /// The store the published events come from; needed only by <see cref="SlowSubscriberPolicy.CatchUpFromStore"/>
    /// subscribers, which read what they missed from it.
    /// </param>
    public EventStreamer(IEventStore? store = null) => Store = store;

    /// <summary>The store lagging subscribers catch up from, if any.</summary>
    public IEventStore? Store { get; }

    /// <summary>The position of the last event published (0 before any).</summary>
    public long PublishedPosition => Interlocked.Read(ref _published);

    /// <summary>How many subscriptions are currently fed.</summary>
    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>
    /// Subscribes to events published from now on (positions above <see cref="PublishedPosition"/>). Enumerate the
    /// subscription once; disposing it, or cancelling its enumeration, stops it and frees its buffer.
    /// </summary>
    public StreamSubscription Subscribe(StreamSubscriptionOptions? options = null)
        => new(Register(options ?? new StreamSubscriptionOptions()));

    /// <summary>
    /// Subscribes with a handler called for each matching event, in order, one at a time, on the thread pool.
    /// <see cref="HandledStreamSubscription.Completion"/> faults if the handler throws or the subscription overflows.
    /// </summary>
    public HandledStreamSubscription Subscribe(StreamSubscriptionOptions? options, Func<RecordedEvent, CancellationToken, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return new(Subscribe(options), handler);
    }

    /// <summary>Publishes one event. Prefer the batch form: it is the fast path.</summary>
    public ValueTask PublishAsync(RecordedEvent @event, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return PublishAsync([@event], cancellationToken);
    }

    /// <summary>
    /// Publishes events that are committed, in position order (each above the last published position). Completes
    /// once every subscriber has the batch buffered, or will read it from the store; it waits only for
    /// back-pressure subscribers whose buffer is full. The events are copied (references only): the caller may
    /// reuse its list. If the call is cancelled while waiting, the events up to <see cref="PublishedPosition"/>
    /// count as published; a back-pressure subscriber that did not get them is ended with a
    /// <see cref="SubscriberOverflowException"/>, a catch-up subscriber reads them from the store.
    /// </summary>
    public ValueTask PublishAsync(IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        if (events.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        return _publishLock.Wait(0, CancellationToken.None) ? PublishLocked(events, cancellationToken) : PublishContendedAsync(events, cancellationToken);
    }

    /// <summary>Ends every subscription once it has drained its buffer; later publishes and subscribes throw. Waits for a publish in progress.</summary>
    public async ValueTask DisposeAsync()
    {
        await _publishLock.WaitAsync().ConfigureAwait(false);
        try
        {
            Subscriber[] subscribers;
            lock (_registry)
            {
                _completed = true;
                subscribers = _subscribers;
                _subscribers = [];
            }

            foreach (var s in subscribers)
            {
                s.Complete();
            }
        }
        finally
        {
            _publishLock.Release();
        }
    }

    internal void Unregister(Subscriber subscriber)
    {
        lock (_registry)
        {
            var i = Array.IndexOf(_subscribers, subscriber);
            if (i >= 0)
            {
                _subscribers = [.. _subscribers.AsSpan(0, i), .. _subscribers.AsSpan(i + 1)];
            }
        }
    }

    private Subscriber Register(StreamSubscriptionOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BufferCapacity, 1, nameof(options.BufferCapacity));
        if (!Enum.IsDefined(options.Policy))
        {
            throw new ArgumentException($"Unknown slow-subscriber policy {(int)options.Policy}.", nameof(options));
        }

        if (options.Policy == SlowSubscriberPolicy.CatchUpFromStore && Store is null)
        {
            throw new ArgumentException("The CatchUpFromStore policy needs the store the streamer is fed from: create the EventStreamer with that store.", nameof(options));
        }

        var name = options.Name ?? $"subscriber-{Interlocked.Increment(ref _nextId)}";
        var subscriber = new Subscriber(this, name, options);
        lock (_registry)
        {
            ObjectDisposedException.ThrowIf(_completed, this);
            _subscribers = [.. _subscribers, subscriber];
        }

        // Read after registering, with a full fence (the publisher writes the position, then reads the registry):
        // a batch this subscriber may already have been handed is at or below this position and is skipped.
        subscriber.StartAfter(Interlocked.Read(ref _published));
        return subscriber;
    }

    private async ValueTask PublishContendedAsync(IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        await _publishLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        await PublishLocked(events, cancellationToken).ConfigureAwait(false);
    }

    // Runs holding the publish lock; releases it, or hands it to FinishAsync when a subscriber needs waiting for.
    private ValueTask PublishLocked(IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        var handedOff = false;
        try
        {
            ObjectDisposedException.ThrowIf(_completed, this);
            var all = PublishBatches.AsSpan(events, out var owned);
            PublishBatches.Validate(all, _published);
            for (var offset = 0; offset < all.Length; offset += MaxBatchSegment)
            {
                var part = all.Slice(offset, Math.Min(MaxBatchSegment, all.Length - offset));

                // Position first, then the registry and the lagging flags (full fence): see Register and the reader.
                Interlocked.Exchange(ref _published, part[^1].Position);
                var subscribers = Volatile.Read(ref _subscribers);
                if (subscribers.Length == 0)
                {
                    continue;
                }

                var batch = owned is not null && part.Length == owned.Length ? owned : part.ToArray();
                for (var i = 0; i < subscribers.Length; i++)
                {
                    if (!subscribers[i].TryOffer(batch))
                    {
                        handedOff = true;
                        return FinishAsync(batch, subscribers, i, PublishBatches.Segments(all[(offset + part.Length)..], MaxBatchSegment), cancellationToken);
                    }
                }
            }

            return ValueTask.CompletedTask;
        }
        finally
        {
            if (!handedOff)
            {
                _publishLock.Release();
            }
        }
    }

    private async ValueTask FinishAsync(RecordedEvent[] batch, Subscriber[] subscribers, int blocked, List<RecordedEvent[]> rest, CancellationToken cancellationToken)
    {
        try
        {
            await DeliverAsync(batch, subscribers, blocked, cancellationToken).ConfigureAwait(false);
            foreach (var next in rest)
            {
                Interlocked.Exchange(ref _published, next[^1].Position);
                await DeliverAsync(next, Volatile.Read(ref _subscribers), 0, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _publishLock.Release();
        }
    }

    private static async ValueTask DeliverAsync(RecordedEvent[] batch, Subscriber[] subscribers, int from, CancellationToken cancellationToken)
    {
        for (var i = from; i < subscribers.Length; i++)
        {
            if (subscribers[i].TryOffer(batch))
            {
                continue;
            }

            try
            {
                await subscribers[i].WriteAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The batch counts as published: whoever cannot take it now must not silently miss it.
                subscribers[i].MissedBatch(batch);
                for (var j = i + 1; j < subscribers.Length; j++)
                {
                    if (!subscribers[j].TryOffer(batch))
                    {
                        subscribers[j].MissedBatch(batch);
                    }
                }

                throw;
            }
        }
    }
}
