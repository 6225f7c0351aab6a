using System.IO.Hashing;
using K4os.Compression.LZ4;
using ZstdSharp;

namespace Eventuali.Snapshots;

/// <summary>Compression and the checksum of stored snapshot bytes.</summary>
internal static class SnapshotCodecs
{
    // Zstandard level 3 is its default: most of the ratio at a fraction of the high levels' cost.
    private const int ZstdLevel = 3;

    // A decompressed state above this is refused as corrupt rather than allocated.
    private const int MaxStateBytes = 256 * 1024 * 1024;

    public static byte[] Encode(SnapshotCodec codec, byte[] raw) => codec switch
    {
        SnapshotCodec.None => raw,
        SnapshotCodec.Lz4 => LZ4Pickler.Pickle(raw, LZ4Level.L00_FAST),
        SnapshotCodec.Zstd => ZstdEncode(raw),
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
                SnapshotCodec.Lz4 => LZ4Pickler.Unpickle(stored),
                SnapshotCodec.Zstd => ZstdDecode(stored),
                _ => throw new InvalidDataException($"Unknown snapshot codec number {(int)codec}."),
            };
        }
        catch (Exception ex) when (ex is not InvalidDataException and not OutOfMemoryException)
        {
            throw new InvalidDataException($"The {codec} data cannot be decompressed: {ex.Message}", ex);
        }
    }

    /// <summary>XxHash64 of the stored bytes, as a signed 64-bit value for the database.</summary>
    public static long Checksum(ReadOnlySpan<byte> stored) => unchecked((long)XxHash64.HashToUInt64(stored));

    private static byte[] ZstdEncode(byte[] raw)
    {
        using var compressor = new Compressor(ZstdLevel);
        return compressor.Wrap(raw).ToArray();
    }

    private static byte[] ZstdDecode(ReadOnlySpan<byte> stored)
    {
        using var decompressor = new Decompressor();
        return decompressor.Unwrap(stored, MaxStateBytes).ToArray();
    }
}
