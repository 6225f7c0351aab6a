using System.Collections.Concurrent;

namespace Eventuali.Snapshots;

/// <summary>One snapshot codec's compression (the LZ4 and Zstandard ones ship in Eventuali.Compression).</summary>
public interface ISnapshotCompressor
{
    /// <summary>The stored codec number this compressor writes and reads.</summary>
    SnapshotCodec Codec { get; }

    /// <summary>Compresses a serialized state.</summary>
    byte[] Compress(byte[] raw);

    /// <summary>Decompresses stored bytes; refuses (throws) a result above <paramref name="maxBytes"/>.</summary>
    byte[] Decompress(ReadOnlySpan<byte> stored, int maxBytes);
}

/// <summary>
/// The registration point of snapshot codecs: process-wide, because stored bytes must decode the same in every store.
/// <see cref="SnapshotCodec.None"/> is built in; the package <c>Eventuali</c> registers LZ4 and Zstandard on first use.
/// </summary>
public static class SnapshotCompression
{
    private static readonly ConcurrentDictionary<SnapshotCodec, ISnapshotCompressor> Compressors = new();

    /// <summary>Registers (or replaces) the compressor of <see cref="ISnapshotCompressor.Codec"/>.</summary>
    public static void Register(ISnapshotCompressor compressor)
    {
        ArgumentNullException.ThrowIfNull(compressor);
        if (compressor.Codec == SnapshotCodec.None)
        {
            throw new ArgumentException("The codec None is built in and cannot be replaced.", nameof(compressor));
        }

        Compressors[compressor.Codec] = compressor;
    }

    /// <summary>Whether <paramref name="codec"/> can be written and read in this process.</summary>
    public static bool IsAvailable(SnapshotCodec codec) => codec == SnapshotCodec.None || Compressors.ContainsKey(codec);

    internal static ISnapshotCompressor? Find(SnapshotCodec codec) => Compressors.GetValueOrDefault(codec);
}
