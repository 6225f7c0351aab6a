using K4os.Compression.LZ4;
using ZstdSharp;

namespace Eventuali.Snapshots;

/// <summary>The LZ4 and Zstandard snapshot codecs; <see cref="Register"/> makes them available to every store.</summary>
public static class SnapshotCompressors
{
    /// <summary>LZ4 (K4os pickle format): fast, moderate ratio.</summary>
    public static ISnapshotCompressor Lz4 { get; } = new Lz4Compressor();

    /// <summary>Zstandard at its default level 3: most of the ratio at a fraction of the high levels' cost.</summary>
    public static ISnapshotCompressor Zstd { get; } = new ZstdCompressor();

    /// <summary>Registers both codecs (idempotent).</summary>
    public static void Register()
    {
        SnapshotCompression.Register(Lz4);
        SnapshotCompression.Register(Zstd);
    }

    private sealed class Lz4Compressor : ISnapshotCompressor
    {
        public SnapshotCodec Codec => SnapshotCodec.Lz4;

        public byte[] Compress(byte[] raw) => LZ4Pickler.Pickle(raw, LZ4Level.L00_FAST);

        public byte[] Decompress(ReadOnlySpan<byte> stored, int maxBytes) => LZ4Pickler.Unpickle(stored);
    }

    private sealed class ZstdCompressor : ISnapshotCompressor
    {
        private const int Level = 3;

        public SnapshotCodec Codec => SnapshotCodec.Zstd;

        public byte[] Compress(byte[] raw)
        {
            using var compressor = new Compressor(Level);
            return compressor.Wrap(raw).ToArray();
        }

        public byte[] Decompress(ReadOnlySpan<byte> stored, int maxBytes)
        {
            using var decompressor = new Decompressor();
            return decompressor.Unwrap(stored, maxBytes).ToArray();
        }
    }
}
