namespace Eventuali.Snapshots;

/// <summary>A point in a stream's history to load an aggregate at.</summary>
public readonly record struct AsOf
{
    private AsOf(AsOfKind kind, long value, DateTimeOffset time)
    {
        Kind = kind;
        Value = value;
        Time = time;
    }

    /// <summary>Which kind of point this is.</summary>
    public AsOfKind Kind { get; }

    /// <summary>The version (<see cref="AsOfKind.Version"/>) or global position (<see cref="AsOfKind.Position"/>).</summary>
    public long Value { get; }

    /// <summary>The instant for <see cref="AsOfKind.Time"/>.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>The whole stream, as it is now.</summary>
    public static AsOf Latest => default;

    /// <summary>The state after the first <paramref name="version"/> events (0: before the first).</summary>
    public static AsOf Version(long version)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        return new AsOf(AsOfKind.Version, version, default);
    }

    /// <summary>The state after every event of the stream stamped at or before <paramref name="time"/>.</summary>
    public static AsOf Timestamp(DateTimeOffset time) => new(AsOfKind.Time, 0, time);

    /// <summary>The state after every event of the stream at a global position at or below <paramref name="position"/>.</summary>
    public static AsOf Position(long position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        return new AsOf(AsOfKind.Position, position, default);
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        AsOfKind.Version => $"version {Value}",
        AsOfKind.Position => $"position {Value}",
        AsOfKind.Time => $"time {Time:O}",
        _ => "latest",
    };
}

/// <summary>The kinds of <see cref="AsOf"/> point.</summary>
public enum AsOfKind
{
    /// <summary>The whole stream, as it is now.</summary>
    Latest = 0,
    /// <summary>After a stream version.</summary>
    Version = 1,
    /// <summary>At an instant.</summary>
    Time = 2,
    /// <summary>At a global log position.</summary>
    Position = 3,
}
