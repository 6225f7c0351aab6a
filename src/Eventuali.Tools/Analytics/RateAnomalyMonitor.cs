namespace Eventuali.Tools.Analytics;

/// <summary>
/// Detects anomalous event rates per key (e.g. per stream category): counts events in tumbling event-time windows and
/// scores each key's count per window with its own <see cref="EwmaDetector"/>. A key seen before that has no events in
/// a closed window scores a 0, so a stream that goes silent is noticed too. Anomalies go to the callback (which may
/// append an event, see <see cref="AnomalyDetected{TKey}.ToEventData"/>).
/// </summary>
/// <typeparam name="TKey">What rates are computed per.</typeparam>
public sealed class RateAnomalyMonitor<TKey>
    where TKey : notnull
{
    // A long gap in event time would otherwise score one zero per empty window; beyond this many the gap is skipped.
    private const int MaxEmptyWindows = 1024;
    private readonly WindowedAggregation<TKey> _windows;
    private readonly Dictionary<TKey, EwmaDetector> _detectors = [];
    private readonly Func<EwmaDetector> _newDetector;
    private readonly Action<AnomalyDetected<TKey>> _onAnomaly;
    private DateTimeOffset? _nextStart;

    /// <summary>Creates a monitor counting per <paramref name="window"/> (which must be tumbling).</summary>
    public RateAnomalyMonitor(WindowSpec window, TimeSpan allowedLateness, Func<EwmaDetector> newDetector, Action<AnomalyDetected<TKey>> onAnomaly)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(newDetector);
        ArgumentNullException.ThrowIfNull(onAnomaly);
        if (!window.IsTumbling)
        {
            throw new ArgumentException("A rate monitor needs tumbling windows: with sliding ones each event would be counted in several rates.", nameof(window));
        }

        _windows = new WindowedAggregation<TKey>(window, allowedLateness, Closed);
        _newDetector = newDetector;
        _onAnomaly = onAnomaly;
    }

    /// <summary>Events ignored as late.</summary>
    public long LateEvents => _windows.LateEvents;

    /// <summary>Counts one event of <paramref name="key"/> at <paramref name="eventTime"/>.</summary>
    public bool Add(TKey key, DateTimeOffset eventTime) => _windows.Add(key, eventTime, 1);

    /// <summary>Closes the open windows (at the end of a finite input).</summary>
    public void Flush() => _windows.Flush();

    private void Closed(ClosedWindow<TKey> window)
    {
        var size = _windows.Window.Size;
        if (_nextStart is { } next && window.Start > next && (window.Start - next).Ticks / size.Ticks <= MaxEmptyWindows)
        {
            for (var start = next; start < window.Start; start += size)
            {
                Score(new ClosedWindow<TKey>(start, start + size, new Dictionary<TKey, WindowAggregate>()));
            }
        }

        Score(window);
        _nextStart = window.End;
    }

    private void Score(ClosedWindow<TKey> window)
    {
        foreach (var (key, aggregate) in window.Aggregates)
        {
            if (!_detectors.ContainsKey(key))
            {
                _detectors.Add(key, _newDetector());
            }
        }

        foreach (var (key, detector) in _detectors)
        {
            var count = window.Aggregates.TryGetValue(key, out var aggregate) ? aggregate.Count : 0;
            var score = detector.Observe(count);
            if (score.IsAnomaly)
            {
                _onAnomaly(new AnomalyDetected<TKey>(key, window.Start, window.End, score));
            }
        }
    }
}
