using Eventuali.Snapshots;

namespace Eventuali.Core.Tests;

/// <summary>Core's own XxHash64 gives the checksums stored before it replaced System.IO.Hashing, bit for bit.</summary>
public sealed class SnapshotChecksumTests
{
    [Fact]
    public void Checksum_matches_System_IO_Hashing_at_every_length_boundary()
    {
        var random = new Random(42);
        foreach (var length in Enumerable.Range(0, 130).Concat([255, 256, 1000, 4097, 65_537]))
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(unchecked((long)System.IO.Hashing.XxHash64.HashToUInt64(data)), SnapshotCodecs.Checksum(data));
        }
    }

    [Fact]
    public void Known_vector_of_the_empty_input()
        => Assert.Equal(unchecked((long)0xEF46DB3751D8E999UL), SnapshotCodecs.Checksum([]));

    [Fact]
    public void A_codec_that_is_not_registered_is_refused_by_name_and_unknown_bytes_are_undecodable()
    {
        Assert.True(SnapshotCompression.IsAvailable(SnapshotCodec.None));
        var error = Assert.Throws<ArgumentException>(() => SnapshotCompression.Register(new NoneCompressor()));
        Assert.Contains("None", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => SnapshotCodecs.Decode((SnapshotCodec)99, [1, 2, 3]));
    }

    private sealed class NoneCompressor : ISnapshotCompressor
    {
        public SnapshotCodec Codec => SnapshotCodec.None;

        public byte[] Compress(byte[] raw) => raw;

        public byte[] Decompress(ReadOnlySpan<byte> stored, int maxBytes) => stored.ToArray();
    }
}
