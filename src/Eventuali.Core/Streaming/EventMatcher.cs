namespace Eventuali.Streaming;

/// <summary>A subscriber's filter and predicate, prepared once so the per-event test is a set lookup at most.</summary>
internal sealed class EventMatcher
{
    private readonly HashSet<string>? _types;
    private readonly string? _prefix;
    private readonly Func<RecordedEvent, bool>? _predicate;

    public EventMatcher(EventFilter? filter, Func<RecordedEvent, bool>? predicate)
    {
        if (filter is { HasEventTypes: true })
        {
            _types = new HashSet<string>(filter.EventTypes!, StringComparer.Ordinal);
        }

        _prefix = string.IsNullOrEmpty(filter?.StreamIdPrefix) ? null : filter.StreamIdPrefix;
        _predicate = predicate;
        MatchesAll = _types is null && _prefix is null && predicate is null;
    }

    public bool MatchesAll { get; }

    public bool Matches(RecordedEvent e)
        => MatchesAll
           || ((_types is null || _types.Contains(e.EventType))
               && (_prefix is null || e.StreamId.StartsWith(_prefix, StringComparison.Ordinal))
               && (_predicate is null || _predicate(e)));
}
