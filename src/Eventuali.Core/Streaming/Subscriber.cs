using System.Threading.Channels;

namespace Eventuali.Streaming;

/// <summary>
/// One subscriber's bounded buffer of shared batches and its slow-subscriber policy (publisher side), plus the
/// reader that turns the batches into events (<c>Subscriber.Reader.cs</c>). The publisher calls
/// <see cref="TryOffer"/> and <see cref="WriteAsync"/> one at a time (publishing is serialized); the reader is
/// single. Between them: the channel, <see cref="_lagging"/>, the failure record and counters.
/// </summary>
internal sealed partial class Subscriber
{
    private readonly EventStreamer _streamer;
    private readonly Channel<RecordedEvent[]> _channel;
    private readonly EventMatcher _matcher;
    private readonly EventFilter? _storeFilter;
    private readonly int _capacity;

    // 1 while a CatchUpFromStore subscriber has missed a batch and not yet rejoined; set only by the publisher,
    // cleared only by the reader. Paired with EventStreamer._published in a Dekker-style handshake (see reader).
    private int _lagging;
    private int _closed;
    private int _ended;
    private long _bufferedEvents;
    private Overflow? _overflow;

    public Subscriber(EventStreamer streamer, string name, StreamSubscriptionOptions options)
    {
        _streamer = streamer;
        Name = name;
        Policy = options.Policy;
        _matcher = new EventMatcher(options.Filter, options.Predicate);
        _storeFilter = options.Filter;
        _capacity = options.BufferCapacity;
        _channel = Channel.CreateBounded<RecordedEvent[]>(new BoundedChannelOptions(options.BufferCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            // Close() drains from any thread while the reader may be reading.
            SingleReader = false,
            SingleWriter = true,
            AllowSynchronousContinuations = false,
        });
    }

    public string Name { get; }

    public SlowSubscriberPolicy Policy { get; }

    public bool IsLagging => Volatile.Read(ref _lagging) != 0;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public int BufferedBatches => _channel.Reader.Count;

    public long BufferedEvents => Interlocked.Read(ref _bufferedEvents);

    /// <summary>
    /// Hands a batch to this subscriber without waiting. False only when the subscriber uses back-pressure and
    /// its buffer is full: the publisher must then <see cref="WriteAsync"/>. Lagging subscribers skip the batch
    /// (they will read it from the store); a full Fail subscriber is ended.
    /// </summary>
    public bool TryOffer(RecordedEvent[] batch)
    {
        if (Volatile.Read(ref _lagging) != 0)
        {
            return true;
        }

        Interlocked.Add(ref _bufferedEvents, batch.Length);
        if (_channel.Writer.TryWrite(batch))
        {
            return true;
        }

        Interlocked.Add(ref _bufferedEvents, -batch.Length);
        if (Volatile.Read(ref _ended) != 0)
        {
            return true;
        }

        switch (Policy)
        {
            case SlowSubscriberPolicy.BackPressure:
                return false;
            case SlowSubscriberPolicy.CatchUpFromStore:
                Interlocked.Exchange(ref _lagging, 1);
                return true;
            default:
                End(new Overflow(batch[0].Position, batch[^1].Position, BufferedBatches, BufferedEvents, Cancelled: false));
                return true;
        }
    }

    /// <summary>Waits for room (back-pressure). A subscriber closed meanwhile simply no longer needs the batch.</summary>
    public async ValueTask WriteAsync(RecordedEvent[] batch, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _bufferedEvents, batch.Length);
        try
        {
            await _channel.Writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            Interlocked.Add(ref _bufferedEvents, -batch.Length);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Add(ref _bufferedEvents, -batch.Length);
            throw;
        }
    }

    /// <summary>The publish of <paramref name="batch"/> was cancelled before this subscriber got it: never a silent gap.</summary>
    public void MissedBatch(RecordedEvent[] batch)
    {
        if (Volatile.Read(ref _ended) != 0)
        {
            return;
        }

        if (Policy == SlowSubscriberPolicy.CatchUpFromStore)
        {
            Interlocked.Exchange(ref _lagging, 1);
            return;
        }

        End(new Overflow(batch[0].Position, batch[^1].Position, BufferedBatches, BufferedEvents, Cancelled: true));
    }

    /// <summary>No more batches: the reader ends after draining what is buffered (and catching up, if lagging).</summary>
    public void Complete()
    {
        Interlocked.Exchange(ref _ended, 1);
        _channel.Writer.TryComplete();
    }

    /// <summary>Stops delivery now and frees the buffered batches. Safe from any thread, idempotent.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        Interlocked.Exchange(ref _ended, 1);

        _streamer.Unregister(this);
        _channel.Writer.TryComplete();
        while (_channel.Reader.TryRead(out var batch))
        {
            Interlocked.Add(ref _bufferedEvents, -batch.Length);
        }
    }

    private void End(Overflow overflow)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        _overflow = overflow;
        _streamer.Unregister(this);
        _channel.Writer.TryComplete();
    }

    /// <summary>What the publisher saw when it ended this subscriber; turned into an exception once the buffer is drained.</summary>
    private sealed record Overflow(long FirstMissed, long LastMissed, int BufferedBatches, long BufferedEvents, bool Cancelled);

    private SubscriberOverflowException OverflowException(Overflow o)
    {
        var published = _streamer.PublishedPosition;
        var why = o.Cancelled
            ? $"the publish of positions {o.FirstMissed}..{o.LastMissed} was cancelled while waiting for it"
            : $"its buffer was full ({o.BufferedBatches} of {_capacity} batches, {o.BufferedEvents} events waiting) when positions {o.FirstMissed}..{o.LastMissed} were published";
        return new SubscriberOverflowException(
            Name,
            _position,
            published,
            $"Subscriber '{Name}' (policy {Policy}) fell behind and was ended: {why}. It received every matching event through position {_position}; the streamer has published through position {published}. Read it faster, give it a larger BufferCapacity, or use CatchUpFromStore.");
    }
}
