namespace Eventuali.Snapshots;

/// <summary>How a snapshot's bytes are compressed in storage. The stored number never changes meaning.</summary>
public enum SnapshotCodec
{
    /// <summary>The serialized state as is.</summary>
    None = 0,

    /// <summary>LZ4 (K4os.Compression.LZ4 pickle format; package Eventuali.Compression): fast, moderate ratio.</summary>
    Lz4 = 1,

    /// <summary>Zstandard (ZstdSharp; package Eventuali.Compression): slower to write, smaller.</summary>
    Zstd = 2,
}
