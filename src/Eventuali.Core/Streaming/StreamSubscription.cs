namespace Eventuali.Streaming;

/// <summary>
/// A live feed of the events an <see cref="EventStreamer"/> publishes after the subscription was made, filtered and
/// in position order. Enumerate it once (<c>await foreach</c>); ending the enumeration, cancelling it or disposing
/// the subscription stops it and frees its buffer. The enumeration ends normally when the streamer is disposed, and
/// with a <see cref="SubscriberOverflowException"/> if the subscription was ended for falling behind.
/// </summary>
public sealed class StreamSubscription : IAsyncEnumerable<RecordedEvent>, IAsyncDisposable
{
    private readonly Subscriber _subscriber;

    internal StreamSubscription(Subscriber subscriber) => _subscriber = subscriber;

    /// <summary>The subscription's name.</summary>
    public string Name => _subscriber.Name;

    /// <summary>What happens when the reader falls behind.</summary>
    public SlowSubscriberPolicy Policy => _subscriber.Policy;

    /// <summary>The last position consumed (delivered, or skipped by the filter); events at or below it are never delivered.</summary>
    public long Position => _subscriber.Position;

    /// <summary>Whether the subscriber has missed live batches and will read them from the store (CatchUpFromStore only).</summary>
    public bool IsLagging => _subscriber.IsLagging;

    /// <summary>Published batches waiting in this subscriber's buffer.</summary>
    public int BufferedBatches => _subscriber.BufferedBatches;

    /// <inheritdoc />
    public IAsyncEnumerator<RecordedEvent> GetAsyncEnumerator(CancellationToken cancellationToken = default)
        => _subscriber.Enumerate(cancellationToken);

    /// <summary>Stops the subscription now: an enumeration in progress ends, buffered batches are released.</summary>
    public ValueTask DisposeAsync()
    {
        _subscriber.Close();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Policy}, at position {Position})";
}
