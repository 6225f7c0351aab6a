namespace Eventuali;

/// <summary>Argument checks every backend applies before touching storage, so errors read the same everywhere.</summary>
internal static class AppendValidation
{
    /// <summary>Longest accepted stream id, in characters.</summary>
    public const int MaxStreamIdLength = 1000;

    public static void ValidateStreamId(string streamId)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        if (streamId.Length == 0 || string.IsNullOrWhiteSpace(streamId))
        {
            throw new ArgumentException("Stream id must not be empty or white space.", nameof(streamId));
        }

        if (streamId.Length > MaxStreamIdLength)
        {
            throw new ArgumentException($"Stream id is {streamId.Length} characters; the maximum is {MaxStreamIdLength}.", nameof(streamId));
        }

        if (streamId.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("Stream id must not contain a NUL character.", nameof(streamId));
        }
    }

    public static void Validate(string streamId, IReadOnlyList<EventData> events)
    {
        ValidateStreamId(streamId);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            throw new ArgumentException($"Append to stream '{streamId}' has no events; pass at least one.", nameof(events));
        }

        HashSet<Guid>? seen = events.Count > 1 ? new HashSet<Guid>(events.Count) : null;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i] ?? throw new ArgumentException($"Event {i} of the append to stream '{streamId}' is null.", nameof(events));
            if (e.EventType.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Event {i} of the append to stream '{streamId}' has a type name with a NUL character.", nameof(events));
            }

            if (seen is not null && !seen.Add(e.EventId))
            {
                throw new ArgumentException($"Event id {e.EventId} appears twice in one append to stream '{streamId}'.", nameof(events));
            }
        }
    }

    /// <summary>Timestamps are kept to the microsecond on every backend, so a round trip compares equal.</summary>
    public static DateTimeOffset Stamp(TimeProvider clock)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTimeOffset(now.Ticks - (now.Ticks % 10), TimeSpan.Zero);
    }
}
