namespace Eventuali.Snapshots;

/// <summary>The lower-case names of <see cref="SnapshotCodec"/> values used on command lines and in listings.</summary>
public static class SnapshotCodecNames
{
    /// <summary>The lower-case name of <paramref name="codec"/>.</summary>
    public static string NameOf(SnapshotCodec codec) => codec switch
    {
        SnapshotCodec.None => "none",
        SnapshotCodec.Lz4 => "lz4",
        SnapshotCodec.Zstd => "zstd",
        _ => ((int)codec).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Parses none, lz4 or zstd (any case); throws <see cref="ArgumentException"/> for anything else.</summary>
    public static SnapshotCodec Parse(string? name) => name?.ToLowerInvariant() switch
    {
        "none" => SnapshotCodec.None,
        "lz4" => SnapshotCodec.Lz4,
        "zstd" => SnapshotCodec.Zstd,
        _ => throw new ArgumentException($"Unknown snapshot codec '{name}'; expected none, lz4 or zstd.", nameof(name)),
    };
}
