using System.Runtime.CompilerServices;
using Eventuali.Interception;
using Eventuali.Subscriptions;

namespace Eventuali.Server.Endpoints;

/// <summary>
/// One subscription to the server's own store, shared by the <c>/subscribe/all</c> connections that have reached it:
/// each append is read from the store once and handed to every such connection, instead of once per connection. The
/// shared subscription starts at the store's head on first use and keeps the newest events (by default 4,096, and
/// 64 MiB of payload at most). A connection reads its own catch-up subscription until the shared one holds every event
/// after the last one it delivered, then switches; a connection that falls further behind than the kept events goes
/// back to a subscription of its own from where it is. Both are catch-up subscriptions in position order, and every
/// switch continues after the last delivered position, so nothing is skipped or repeated. When the shared subscription
/// fails (or cannot start), connections carry on with subscriptions of their own, and the next connection to start or
/// fall back starts a new shared one from the store's head then.
/// </summary>
internal sealed class LiveTail : IAsyncDisposable
{
    /// <summary>Events kept for connections to read by default: at 50-event appends, the last 81 appends.</summary>
    public const int DefaultCapacity = 4_096;

    /// <summary>Payload bytes kept at most by default, whatever the count: large events keep fewer.</summary>
    public const long DefaultMaxBytes = 64L << 20;

    private readonly IEventStore _store;
    private readonly Lock _lock = new();
    private readonly int _capacity;
    private readonly long _maxBytes;
    private readonly RecordedEvent[] _ring;
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _more = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task<long>? _started;
    private Task? _pump;

    // Events taken from the shared subscription so far; the ring holds numbers [_oldest, _written), _bytes of them.
    private long _written;
    private long _oldest;
    private long _bytes;

    // Every event after this position is in the ring: where the subscription started, then the last one overwritten.
    // Read without the lock as a hint (see Covers); -1 until started, long.MaxValue once it failed.
    private long _complete = -1;

    // Which shared subscription the ring holds: a connection reading the ring leaves it when this changes (a restart
    // empties the ring, and the new subscription starts after a gap the old readers did not see).
    private int _generation;

    public LiveTail(IEventStore store, int capacity = DefaultCapacity, long maxBytes = DefaultMaxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        _store = store;
        _capacity = capacity;
        _maxBytes = maxBytes;
        _ring = new RecordedEvent[capacity];
    }

    /// <summary>How many events the shared subscription has taken so far.</summary>
    public long Taken
    {
        get
        {
            lock (_lock)
            {
                return _written;
            }
        }
    }

    /// <summary>How many times the shared subscription has started (a start whose head query failed does not count).</summary>
    public int Generation
    {
        get
        {
            lock (_lock)
            {
                return _generation;
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="store"/> can share one subscription among callers: not when an interceptor observes its
    /// operations (the access audit names who read what, and one shared read would name nobody).
    /// </summary>
    public static bool CanServe(IEventStore store)
        => store is not InterceptedEventStore intercepted || !intercepted.Interceptors.Any(i => i.ObservesOperations);

    /// <summary>
    /// Every event after <paramref name="afterPosition"/> that matches <paramref name="filter"/>, in position order, then
    /// live, never ending until cancelled: from a subscription of its own until the shared one covers the position,
    /// then from the shared one.
    /// </summary>
    public async IAsyncEnumerable<RecordedEvent> SubscribeAsync(long afterPosition, EventFilter? filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = afterPosition;
        var batch = new List<RecordedEvent>(256);
        while (true)
        {
            await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
            if (!Covers(after))
            {
                // A subscription of its own until the shared one holds everything after the last delivered event.
                await foreach (var e in _store.SubscribeToAllAsync(after, filter, cancellationToken).ConfigureAwait(false))
                {
                    yield return e;
                    after = e.Position;
                    if (Covers(after))
                    {
                        break;
                    }
                }
            }

            long next;
            int generation;
            lock (_lock)
            {
                next = FirstAfter(after);
                generation = _generation;
            }

            while (next >= 0)
            {
                Task more;
                lock (_lock)
                {
                    if (next < _oldest || _complete == long.MaxValue || _generation != generation)
                    {
                        next = -1; // overrun, or the shared subscription failed or was replaced: back to one of its own
                        break;
                    }

                    for (; next < _written && batch.Count < 256; next++)
                    {
                        batch.Add(_ring[next % _capacity]);
                    }

                    more = _more.Task;
                }

                if (batch.Count == 0)
                {
                    await more.WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                foreach (var e in batch)
                {
                    if (e.Position <= after)
                    {
                        // Delivered already: a connection that switched before the shared subscription had taken the
                        // events it read on its own finds them here after its place in the ring.
                        continue;
                    }

                    after = e.Position;
                    if (filter is null || filter.Matches(e.StreamId, e.EventType))
                    {
                        yield return e;
                    }
                }

                batch.Clear();
            }
        }
    }

    /// <summary>Whether the ring holds every event after <paramref name="position"/> (a hint; the read checks again).</summary>
    private bool Covers(long position)
    {
        var complete = Volatile.Read(ref _complete);
        return complete >= 0 && complete != long.MaxValue && position >= complete;
    }

    /// <summary>The number of the first event after <paramref name="position"/>, or -1 when the ring does not cover it. Under the lock.</summary>
    private long FirstAfter(long position)
    {
        if (!Covers(position))
        {
            return -1;
        }

        // Positions grow with the number: walk back from the newest (a joining connection is near the head).
        var n = _written;
        while (n > _oldest && _ring[(n - 1) % _capacity].Position > position)
        {
            n--;
        }

        return n;
    }

    /// <summary>
    /// Starts the shared subscription when none runs (the first call, or after it failed or could not start). A failure
    /// to start is not the caller's: it reads from a subscription of its own, which reports the store's errors itself.
    /// </summary>
    private async Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        Task<long> started;
        lock (_lock)
        {
            // Only once the last start has finished: it failed, or the subscription it started has ended (not stopped).
            var failed = _started is { IsCompleted: true } last && (!last.IsCompletedSuccessfully || _pump is { IsCompleted: true })
                && !_stop.IsCancellationRequested;
            if (_started is null || failed)
            {
                _started = StartCoreAsync();
            }

            started = _started;
        }

        try
        {
            await started.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException)
        {
            // Covers stays false: the caller reads on its own until a later start succeeds.
        }
    }

    private async Task<long> StartCoreAsync()
    {
        var head = await _store.GetHeadPositionAsync(_stop.Token).ConfigureAwait(false);
        lock (_lock)
        {
            // A restart: the ring held the failed subscription's events, and events appended since are in neither.
            _generation++;
            for (; _oldest < _written; _oldest++)
            {
                _ring[_oldest % _capacity] = null!;
            }

            _bytes = 0;
            _complete = head;
        }

        // Not on the first caller's flow: the shared read belongs to no request.
        Task pump;
        using (ExecutionContext.SuppressFlow())
        {
            pump = Task.Run(() => PumpAsync(head), CancellationToken.None);
        }

        lock (_lock)
        {
            _pump = pump;
        }

        return head;
    }

    private async Task PumpAsync(long head)
    {
        try
        {
            var events = _store.SubscribeToAllAsync(head, null, _stop.Token).GetAsyncEnumerator(_stop.Token);
            await using var _ = events.ConfigureAwait(false);
            var unsignalled = 0;
            while (true)
            {
                var move = events.MoveNextAsync();
                if (!move.IsCompleted || unsignalled >= 256)
                {
                    // What is at hand goes out before waiting for more, and at least every 256 events of a burst.
                    Signal();
                    unsignalled = 0;
                }

                if (!await move.ConfigureAwait(false))
                {
                    break;
                }

                lock (_lock)
                {
                    var e = events.Current;
                    var size = Size(e);
                    while (_oldest < _written && (_written - _oldest >= _capacity || _bytes + size > _maxBytes))
                    {
                        // Dropped from the ring: a connection needs this event's position or later to read from it.
                        var old = _ring[_oldest % _capacity];
                        _complete = old.Position;
                        _bytes -= Size(old);
                        _ring[_oldest % _capacity] = null!;
                        _oldest++;
                    }

                    _ring[_written % _capacity] = e;
                    _bytes += size;
                    _written++;
                }

                unsignalled++;
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Connections go back to subscriptions of their own, which report the store's errors themselves.
        }
        finally
        {
            lock (_lock)
            {
                _complete = long.MaxValue;
            }

            Signal();
        }
    }

    // What an event holds in memory, roughly: its payload and a fixed share for the object, its ids and metadata.
    private static long Size(RecordedEvent e) => e.Data.Length + 1024;

    private void Signal()
    {
        TaskCompletionSource done;
        lock (_lock)
        {
            done = _more;
            _more = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        done.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_pump is not null)
        {
            await _pump.ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
