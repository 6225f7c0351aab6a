namespace Eventuali.Extensibility;

/// <summary>Argument checks every backend applies before touching storage, so errors read the same everywhere.</summary>
public static class AppendValidation
{
    /// <summary>Longest accepted stream id, in characters.</summary>
    public const int MaxStreamIdLength = 1000;

    /// <summary>The checks for naming a stream anywhere (reads included), so streams stored before a newer rule stay reachable.</summary>
    public static void ValidateStreamId(string streamId)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        if (streamId.Length == 0 || string.IsNullOrWhiteSpace(streamId))
        {
            throw new InvalidStreamIdException("Stream id must not be empty or white space.");
        }

        if (streamId.Length > MaxStreamIdLength)
        {
            throw new InvalidStreamIdException($"Stream id is {streamId.Length} characters; the maximum is {MaxStreamIdLength}.");
        }

        if (streamId.Contains('\0', StringComparison.Ordinal))
        {
            throw new InvalidStreamIdException("Stream id must not contain a NUL character.");
        }

        if (!IsWellFormed(streamId))
        {
            throw new InvalidStreamIdException("Stream id contains a lone surrogate character (invalid UTF-16), which cannot be stored as UTF-8 text.");
        }
    }

    /// <summary>
    /// The checks for a stream id an append writes: those of <see cref="ValidateStreamId"/> plus no control characters
    /// (tab, newline, U+0001...), which print invisibly or break line-based output and tools.
    /// </summary>
    public static void ValidateNewStreamId(string streamId)
    {
        ValidateStreamId(streamId);
        var span = streamId.AsSpan();
        var at = span.IndexOfAnyInRange('\u0000', '\u001F');
        if (at < 0)
        {
            at = span.IndexOfAnyInRange('\u007F', '\u009F');
        }

        if (at >= 0)
        {
            throw new InvalidStreamIdException(
                $"Stream id must not contain control characters; found U+{(int)streamId[at]:X4} at position {at + 1}.");
        }
    }

    /// <summary>Throws a typed error when the stream id or any event of an append is not valid; every backend calls it before writing.</summary>
    public static void Validate(string streamId, IReadOnlyList<EventData> events)
    {
        ValidateNewStreamId(streamId);
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

            if (FindUnstorableText(e) is { } field)
            {
                throw new ArgumentException($"Event {i} of the append to stream '{streamId}' has {field} with a NUL or lone surrogate character, which cannot be stored as UTF-8 text.", nameof(events));
            }

            if (seen is not null && !seen.Add(e.EventId))
            {
                throw new ArgumentException($"Event id {e.EventId} appears twice in one append to stream '{streamId}'.", nameof(events));
            }
        }
    }

    // Databases store text as UTF-8 and PostgreSQL refuses NUL in text: such strings would be refused
    // with a raw database error or silently replaced (two distinct ids colliding), so refuse them up front.
    private static string? FindUnstorableText(EventData e)
    {
        if (!IsWellFormed(e.EventType))
        {
            return "a type name";
        }

        if (!IsStorable(e.ContentType))
        {
            return "a content type";
        }

        var m = e.Metadata;
        if (!IsStorable(m.CorrelationId) || !IsStorable(m.CausationId) || !IsStorable(m.ActorId))
        {
            return "a correlation, causation or actor id";
        }

        if (m.Headers is not null)
        {
            foreach (var (key, value) in m.Headers)
            {
                if (!IsStorable(key) || !IsStorable(value))
                {
                    return "a header";
                }
            }
        }

        return null;
    }

    private static bool IsStorable(string? s) => s is null || (!s.Contains('\0', StringComparison.Ordinal) && IsWellFormed(s));

    /// <summary>Whether every surrogate in <paramref name="s"/> is part of a pair (valid UTF-16).</summary>
    private static bool IsWellFormed(string s)
    {
        var span = s.AsSpan();
        var i = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (i < 0)
        {
            return true;
        }

        for (; i < span.Length; i++)
        {
            if (char.IsHighSurrogate(span[i]) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(span[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Timestamps are kept to the microsecond on every backend, so a round trip compares equal.</summary>
    public static DateTimeOffset Stamp(TimeProvider clock)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTimeOffset(now.Ticks - (now.Ticks % 10), TimeSpan.Zero);
    }
}
