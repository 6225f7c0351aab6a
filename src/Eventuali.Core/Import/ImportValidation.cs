namespace Eventuali.Import;

/// <summary>The checks a store applies to an append or import, available before anything is written.</summary>
public static class ImportValidation
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the problem when a store would refuse these events for
    /// their content (empty or over-long stream id, NUL or lone surrogate characters, an id twice in one append),
    /// so a tool can check a whole file before writing any of it.
    /// </summary>
    public static void Check(string streamId, IReadOnlyList<EventData> events) => AppendValidation.Validate(streamId, events);

    /// <summary>The timestamp a store records for <paramref name="timestamp"/>: UTC, truncated to the microsecond.</summary>
    public static DateTimeOffset Normalize(DateTimeOffset timestamp)
    {
        var utc = timestamp.UtcTicks;
        return new DateTimeOffset(utc - (utc % 10), TimeSpan.Zero);
    }
}
