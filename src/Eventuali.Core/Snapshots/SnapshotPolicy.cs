namespace Eventuali.Snapshots;

/// <summary>
/// When snapshots of one aggregate type are taken after a save, how they are compressed and how many
/// are kept. A snapshot is taken when any configured trigger fires. Snapshots never change what a load returns.
/// </summary>
public sealed record SnapshotPolicy
{
    /// <summary>Take one each time the stream passes a multiple of this many events.</summary>
    public int? EveryEvents
    {
        get;
        init => field = value is null or > 0 ? value : throw new ArgumentOutOfRangeException(nameof(EveryEvents), value, "EveryEvents must be at least 1.");
    }

    /// <summary>Take one when the latest snapshot is older than this (or there is none) and events were added since.</summary>
    public TimeSpan? MaxAge
    {
        get;
        init => field = value is null || value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(MaxAge), value, "MaxAge must be positive.");
    }

    /// <summary>Take one when this returns true.</summary>
    public Func<SnapshotDecision, bool>? When { get; init; }

    /// <summary>How snapshot bytes are compressed.</summary>
    public SnapshotCodec Codec
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Codec), value, "Unknown snapshot codec.");
    }

    /// <summary>Inline: the save returns after the snapshot is stored. Background: it is stored afterwards (see <see cref="SnapshotExtensions.FlushSnapshotsAsync"/>).</summary>
    public SnapshotTiming Timing { get; init; } = SnapshotTiming.Inline;

    /// <summary>After taking a snapshot, delete all but the newest this many (null: keep all).</summary>
    public int? KeepLast
    {
        get;
        init => field = value is null or > 0 ? value : throw new ArgumentOutOfRangeException(nameof(KeepLast), value, "KeepLast must be at least 1.");
    }

    /// <summary>A policy that takes a snapshot every <paramref name="events"/> events.</summary>
    public static SnapshotPolicy Every(int events) => new() { EveryEvents = events };

    /// <summary>A policy that takes a snapshot when the latest one is older than <paramref name="age"/>.</summary>
    public static SnapshotPolicy OlderThan(TimeSpan age) => new() { MaxAge = age };

    /// <summary>A policy that takes a snapshot when <paramref name="when"/> returns true.</summary>
    public static SnapshotPolicy Custom(Func<SnapshotDecision, bool> when)
    {
        ArgumentNullException.ThrowIfNull(when);
        return new() { When = when };
    }
}

/// <summary>When a snapshot is stored relative to the save that triggered it.</summary>
public enum SnapshotTiming
{
    /// <summary>Before the save returns.</summary>
    Inline = 0,
    /// <summary>After the save returns, in the background.</summary>
    Background = 1,
}

/// <summary>What a custom policy sees after a save.</summary>
/// <param name="Aggregate">The aggregate just saved.</param>
/// <param name="PreviousVersion">Its version before the save.</param>
/// <param name="Version">Its version now.</param>
/// <param name="LatestSnapshot">The newest stored snapshot of the stream, or null.</param>
/// <param name="Now">The store clock's time.</param>
public sealed record SnapshotDecision(Typed.Aggregate Aggregate, long PreviousVersion, long Version, SnapshotInfo? LatestSnapshot, DateTimeOffset Now);
