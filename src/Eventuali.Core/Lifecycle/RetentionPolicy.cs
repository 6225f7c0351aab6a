namespace Eventuali.Lifecycle;

/// <summary>
/// What to keep of one stream (<see cref="StreamId"/>) or of every stream whose id starts with
/// <see cref="StreamIdPrefix"/> (a category such as "order-"). Applied only by an explicit call to
/// <see cref="StreamRetention.ApplyRetentionAsync"/>, never on append. Removal is a truncate: versions stay.
/// </summary>
public sealed record RetentionPolicy
{
    /// <summary>One stream; set this or <see cref="StreamIdPrefix"/>.</summary>
    public string? StreamId { get; init; }

    /// <summary>Every live stream whose id starts with this; set this or <see cref="StreamId"/>.</summary>
    public string? StreamIdPrefix { get; init; }

    /// <summary>Keep at most this many newest events per stream (at least 1).</summary>
    public int? MaxCount { get; init; }

    /// <summary>Remove events older than this (by their timestamp, against the store's TimeProvider).</summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public void Validate()
    {
        if ((StreamId is null) == (StreamIdPrefix is null))
        {
            throw new ArgumentException("A retention policy needs exactly one of StreamId or StreamIdPrefix.");
        }

        if (StreamIdPrefix is { Length: 0 })
        {
            throw new ArgumentException("A retention policy's StreamIdPrefix must not be empty.");
        }

        if (MaxCount is null && MaxAge is null)
        {
            throw new ArgumentException("A retention policy needs MaxCount, MaxAge or both.");
        }

        if (MaxCount < 1)
        {
            throw new ArgumentException($"A retention policy's MaxCount must be at least 1; got {MaxCount}.");
        }

        if (MaxAge < TimeSpan.Zero)
        {
            throw new ArgumentException($"A retention policy's MaxAge must not be negative; got {MaxAge}.");
        }
    }
}

/// <summary>What applying retention removed.</summary>
/// <param name="StreamsTruncated">Streams that lost at least one event.</param>
/// <param name="EventsRemoved">Events removed in total.</param>
public readonly record struct RetentionResult(int StreamsTruncated, long EventsRemoved);
