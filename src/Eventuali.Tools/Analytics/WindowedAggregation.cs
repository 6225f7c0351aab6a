namespace Eventuali.Tools.Analytics;

/// <summary>
/// Count, sum, min and max per key over event-time windows, with a watermark for late events. The watermark is the
/// largest event time seen minus <c>allowedLateness</c>; a window closes (is handed to the callback, once, in start
/// order) when the watermark reaches its end. An event whose every window has closed is late: it is counted in
/// <see cref="LateEvents"/> and otherwise ignored. Not thread-safe: feed it from one subscription.
/// </summary>
/// <typeparam name="TKey">What events are grouped by.</typeparam>
public sealed class WindowedAggregation<TKey>
    where TKey : notnull
{
    private readonly long _size;
    private readonly long _slide;
    private readonly long _lateness;
    private readonly Action<ClosedWindow<TKey>> _onClosed;
    private readonly SortedDictionary<long, Dictionary<TKey, WindowAggregate>> _open = [];
    private long _maxEventTicks = long.MinValue;
    private long _lastStart = long.MinValue;
    private Dictionary<TKey, WindowAggregate>? _last;

    /// <summary>Creates an aggregation over <paramref name="window"/>s handing each closed window to <paramref name="onClosed"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="allowedLateness"/> is negative.</exception>
    public WindowedAggregation(WindowSpec window, TimeSpan allowedLateness, Action<ClosedWindow<TKey>> onClosed)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(onClosed);
        if (allowedLateness < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(allowedLateness), allowedLateness, $"The allowed lateness must not be negative; got {allowedLateness}.");
        }

        Window = window;
        _size = window.Size.Ticks;
        _slide = window.Slide.Ticks;
        _lateness = allowedLateness.Ticks;
        _onClosed = onClosed;
    }

    /// <summary>The windows this aggregation uses.</summary>
    public WindowSpec Window { get; }

    /// <summary>Events ignored because every window they belong to had already closed.</summary>
    public long LateEvents { get; private set; }

    /// <summary>The current watermark (null before the first event): windows ending at or before it are closed.</summary>
    public DateTimeOffset? Watermark => _maxEventTicks == long.MinValue ? null : new DateTimeOffset(WatermarkTicks, TimeSpan.Zero);

    private long WatermarkTicks => _maxEventTicks - _lateness;

    /// <summary>Adds one observation; returns false when it was late and ignored.</summary>
    public bool Add(TKey key, DateTimeOffset eventTime, double value)
    {
        var t = eventTime.UtcTicks;
        var watermark = _maxEventTicks == long.MinValue ? long.MinValue : WatermarkTicks;
        var added = false;

        // The windows holding t start at multiples of the slide in (t - size, t].
        for (var start = FloorToSlide(t); start > t - _size; start -= _slide)
        {
            if (start + _size <= watermark)
            {
                break; // this window and every earlier one are closed
            }

            var window = WindowAt(start);
            ref var aggregate = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(window, key, out _);
            aggregate = aggregate.Add(value);
            added = true;
        }

        if (!added)
        {
            LateEvents++;
            return false;
        }

        if (t > _maxEventTicks)
        {
            _maxEventTicks = t;
            CloseUpTo(WatermarkTicks);
        }

        return true;
    }

    /// <summary>Adds an event: grouped by <paramref name="key"/>, valued by <paramref name="value"/> (default 1), at its append time unless <paramref name="eventTime"/> says otherwise.</summary>
    public bool Add(RecordedEvent recorded, Func<RecordedEvent, TKey> key, Func<RecordedEvent, double>? value = null, Func<RecordedEvent, DateTimeOffset>? eventTime = null)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(key);
        return Add(key(recorded), eventTime?.Invoke(recorded) ?? recorded.Timestamp, value?.Invoke(recorded) ?? 1);
    }

    /// <summary>Closes every open window now, whatever the watermark (at the end of a finite input).</summary>
    public void Flush() => CloseUpTo(long.MaxValue);

    private Dictionary<TKey, WindowAggregate> WindowAt(long start)
    {
        if (start == _lastStart && _last is not null)
        {
            return _last;
        }

        if (!_open.TryGetValue(start, out var window))
        {
            window = [];
            _open.Add(start, window);
        }

        _lastStart = start;
        _last = window;
        return window;
    }

    private void CloseUpTo(long watermark)
    {
        while (_open.Count > 0)
        {
            var (start, aggregates) = _open.First();
            if (watermark != long.MaxValue && start + _size > watermark)
            {
                return;
            }

            _open.Remove(start);
            if (start == _lastStart)
            {
                _last = null;
            }

            _onClosed(new ClosedWindow<TKey>(new DateTimeOffset(start, TimeSpan.Zero), new DateTimeOffset(start + _size, TimeSpan.Zero), aggregates));
        }
    }

    private long FloorToSlide(long ticks)
    {
        var r = ticks % _slide;
        return r < 0 ? ticks - r - _slide : ticks - r;
    }
}
