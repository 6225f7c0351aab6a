namespace Eventuali.Snapshots;

/// <summary>Compression (through <see cref="SnapshotCompression"/>) and the checksum of stored snapshot bytes.</summary>
internal static class SnapshotCodecs
{
    // A decompressed state above this is refused as corrupt rather than allocated.
    private const int MaxStateBytes = 256 * 1024 * 1024;

    public static byte[] Encode(SnapshotCodec codec, byte[] raw) => codec switch
    {
        SnapshotCodec.None => raw,
        SnapshotCodec.Lz4 or SnapshotCodec.Zstd => (SnapshotCompression.Find(codec) ?? throw NotRegistered(codec)).Compress(raw),
        _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, "Unknown snapshot codec."),
    };

    /// <summary>Decompresses; throws <see cref="InvalidDataException"/> for bytes the codec cannot read.</summary>
    public static byte[] Decode(SnapshotCodec codec, ReadOnlySpan<byte> stored)
    {
        try
        {
            return codec switch
            {
                SnapshotCodec.None => stored.ToArray(),
                _ when SnapshotCompression.Find(codec) is { } compressor => compressor.Decompress(stored, MaxStateBytes),
                SnapshotCodec.Lz4 or SnapshotCodec.Zstd => throw new InvalidDataException(NotRegistered(codec).Message),
                _ => throw new InvalidDataException($"Unknown snapshot codec number {(int)codec}."),
            };
        }
        catch (Exception ex) when (ex is not InvalidDataException and not OutOfMemoryException)
        {
            throw new InvalidDataException($"The {codec} data cannot be decompressed: {ex.Message}", ex);
        }
    }

    /// <summary>XxHash64 of the stored bytes, as a signed 64-bit value for the database.</summary>
    public static long Checksum(ReadOnlySpan<byte> stored) => unchecked((long)XxHash64.Hash(stored));

    private static NotSupportedException NotRegistered(SnapshotCodec codec)
        => new($"The snapshot codec {SnapshotCodecNames.NameOf(codec)} is not registered in this process: reference the package Eventuali (which registers it) or Eventuali.Compression and call SnapshotCompressors.Register().");
}
