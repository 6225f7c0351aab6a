using System.Runtime.CompilerServices;

namespace Eventuali.Streaming;

/// <summary>
/// The reading side: events come from the current batch (a shared published batch, or a chunk read from the
/// store while catching up) on a synchronous fast path; the slow path fetches the next batch or waits.
/// Every event at or below <see cref="_position"/> is skipped, which removes duplicates at the seam between
/// the store and the live feed (positions are strictly increasing).
/// </summary>
internal sealed partial class Subscriber : IAsyncEnumerator<RecordedEvent>
{
    private const int CatchUpChunk = 256;

    private RecordedEvent[]? _batch;
    private int _index;
    private int _count;
    private long _position;
    private RecordedEvent? _event;
    private CancellationToken _token;
    private int _enumerated;

    private IAsyncEnumerator<RecordedEvent>? _catchUp;
    private long _catchUpLimit;
    private long _catchUpCursor;
    private long _caughtUpThrough;
    private bool _rejoining;
    private RecordedEvent[]? _chunk;

    /// <summary>The last position this subscriber has consumed (delivered, or skipped by its filter); 0 before any.</summary>
    public long Position => Volatile.Read(ref _position);

    public RecordedEvent Current => _event ?? throw new InvalidOperationException($"Subscription '{Name}' has no current event; call MoveNextAsync first.");

    /// <summary>Events are delivered after <paramref name="position"/>; set before the subscriber is handed out.</summary>
    public void StartAfter(long position)
    {
        _position = position;
        _catchUpCursor = position;
    }

    public IAsyncEnumerator<RecordedEvent> Enumerate(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _enumerated, 1) != 0)
        {
            throw new InvalidOperationException($"Subscription '{Name}' can be enumerated only once.");
        }

        _token = cancellationToken;
        return this;
    }

    public ValueTask<bool> MoveNextAsync()
        => !IsClosed && !_token.IsCancellationRequested && TryNextBuffered() ? new ValueTask<bool>(true) : MoveNextSlowAsync();

    public async ValueTask DisposeAsync()
    {
        Close();
        if (_catchUp is { } reader)
        {
            _catchUp = null;
            await reader.DisposeAsync().ConfigureAwait(false);
        }

        _batch = null;
        _chunk = null;
        _event = null;
    }

    private bool TryNextBuffered()
    {
        var batch = _batch;
        if (batch is null)
        {
            return false;
        }

        var i = _index;
        var position = _position;
        var count = _count;
        while (i < count)
        {
            var e = batch[i++];
            if (e.Position <= position)
            {
                continue;
            }

            position = e.Position;
            if (_matcher.Matches(e))
            {
                _index = i;
                Volatile.Write(ref _position, position);
                _event = e;
                return true;
            }
        }

        Volatile.Write(ref _position, position);
        _batch = null;
        return false;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> MoveNextSlowAsync()
    {
        while (true)
        {
            if (IsClosed)
            {
                return false;
            }

            _token.ThrowIfCancellationRequested();
            if (TryNextBuffered())
            {
                return true;
            }

            // Everything up to the end of the last catch-up has been seen, matching or not.
            if (_caughtUpThrough > _position)
            {
                Volatile.Write(ref _position, _caughtUpThrough);
            }

            if (_catchUp is not null)
            {
                await FetchFromStoreAsync().ConfigureAwait(false);
            }
            else if (_channel.Reader.TryRead(out var batch))
            {
                Interlocked.Add(ref _bufferedEvents, -batch.Length);
                (_batch, _index, _count) = (batch, 0, batch.Length);
            }
            else if (IsLagging)
            {
                await BeginCatchUpAsync().ConfigureAwait(false);
            }
            else if (!await _channel.Reader.WaitToReadAsync(_token).ConfigureAwait(false) && !IsLagging)
            {
                // Completed and drained: the streamer ended, the subscriber was closed, or it overflowed.
                if (_overflow is { } overflow && !IsClosed)
                {
                    throw OverflowException(overflow);
                }

                return false;
            }
        }
    }

    // The buffer is drained and batches were skipped: read from the store what the streamer has published so far.
    private async ValueTask BeginCatchUpAsync()
    {
        var store = _streamer.Store!;
        var limit = _streamer.PublishedPosition;
        var head = await store.GetHeadPositionAsync(_token).ConfigureAwait(false);
        if (head < limit)
        {
            throw new InvalidOperationException(
                $"Subscriber '{Name}' must catch up through position {limit}, but the store's head is position {head}. CatchUpFromStore needs every published event to be stored first: publish to the streamer after the append commits.");
        }

        // Everything up to the last position consumed (store or live) is done; read only what follows.
        _catchUpCursor = Math.Max(_catchUpCursor, _position);
        StartStoreRead(limit, rejoining: false);
    }

    private void StartStoreRead(long limit, bool rejoining)
    {
        _catchUpLimit = limit;
        _rejoining = rejoining;
        _catchUp = _streamer.Store!.ReadAllAsync(_catchUpCursor + 1, int.MaxValue, _storeFilter, _token).GetAsyncEnumerator(_token);
    }

    private async ValueTask FetchFromStoreAsync()
    {
        var chunk = _chunk ??= new RecordedEvent[CatchUpChunk];
        var n = 0;
        var done = _catchUpLimit <= _catchUpCursor;
        while (!done && n < chunk.Length)
        {
            if (!await _catchUp!.MoveNextAsync().ConfigureAwait(false) || _catchUp.Current.Position > _catchUpLimit)
            {
                done = true;
                break;
            }

            chunk[n++] = _catchUp.Current;
            _catchUpCursor = _catchUp.Current.Position;
        }

        if (n > 0)
        {
            (_batch, _index, _count) = (chunk, 0, n);
        }

        if (!done)
        {
            return;
        }

        var reader = _catchUp!;
        _catchUp = null;
        await reader.DisposeAsync().ConfigureAwait(false);
        _catchUpCursor = Math.Max(_catchUpCursor, _catchUpLimit);
        _caughtUpThrough = _catchUpCursor;
        if (!_rejoining)
        {
            // Rejoin the live feed first, then read what was published before the publisher could see that.
            // The exchange is a full fence paired with the publisher's (write position, then read _lagging):
            // either the publisher sees _lagging == 0 and buffers its batch, or this read sees its position.
            Interlocked.Exchange(ref _lagging, 0);
            StartStoreRead(_streamer.PublishedPosition, rejoining: true);
        }
    }
}
