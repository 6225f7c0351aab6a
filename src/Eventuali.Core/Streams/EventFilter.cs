namespace Eventuali;

/// <summary>
/// Narrows a read of the global log. Both parts are optional; when both are set an event must match both.
/// A category is a stream-id prefix: streams <c>account-1</c> and <c>account-2</c> are in category <c>account-</c>.
/// </summary>
public sealed record EventFilter
{
    /// <summary>Only events of these stored type names (null or empty: any type).</summary>
    public IReadOnlyList<string>? EventTypes { get; init; }

    /// <summary>Only events of streams whose id starts with this prefix (ordinal, case-sensitive).</summary>
    public string? StreamIdPrefix { get; init; }

    /// <summary>A filter for events of these stored type names.</summary>
    public static EventFilter ForEventTypes(params string[] eventTypes) => new() { EventTypes = eventTypes };

    /// <summary>A filter for events of streams whose id starts with <paramref name="streamIdPrefix"/>.</summary>
    public static EventFilter ForCategory(string streamIdPrefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamIdPrefix);
        return new() { StreamIdPrefix = streamIdPrefix };
    }

    /// <summary>True when the filter names event types.</summary>
    public bool HasEventTypes => EventTypes is { Count: > 0 };

    /// <summary>Whether an event passes this filter (for stores that filter in process).</summary>
    public bool Matches(string streamId, string eventType)
        => (StreamIdPrefix is null || streamId.StartsWith(StreamIdPrefix, StringComparison.Ordinal))
           && (!HasEventTypes || EventTypes!.Contains(eventType, StringComparer.Ordinal));
}
