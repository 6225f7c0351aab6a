using System.Buffers.Binary;
using System.Numerics;

namespace Eventuali.Snapshots;

/// <summary>
/// XXH64 with seed 0, bit for bit the checksum stored with every snapshot (the same value System.IO.Hashing computes),
/// written here so Core depends on the BCL alone.
/// </summary>
internal static class XxHash64
{
    private const ulong P1 = 11400714785074694791UL;
    private const ulong P2 = 14029467366897019727UL;
    private const ulong P3 = 1609587929392839161UL;
    private const ulong P4 = 9650029242287828579UL;
    private const ulong P5 = 2870177450012600261UL;

    public static ulong Hash(ReadOnlySpan<byte> data)
    {
        var length = (ulong)data.Length;
        ulong h;
        if (data.Length >= 32)
        {
            ulong v1 = unchecked(P1 + P2), v2 = P2, v3 = 0, v4 = unchecked(0 - P1);
            do
            {
                v1 = Round(v1, BinaryPrimitives.ReadUInt64LittleEndian(data));
                v2 = Round(v2, BinaryPrimitives.ReadUInt64LittleEndian(data[8..]));
                v3 = Round(v3, BinaryPrimitives.ReadUInt64LittleEndian(data[16..]));
                v4 = Round(v4, BinaryPrimitives.ReadUInt64LittleEndian(data[24..]));
                data = data[32..];
            }
            while (data.Length >= 32);

            h = unchecked(BitOperations.RotateLeft(v1, 1) + BitOperations.RotateLeft(v2, 7) + BitOperations.RotateLeft(v3, 12) + BitOperations.RotateLeft(v4, 18));
            h = Merge(h, v1);
            h = Merge(h, v2);
            h = Merge(h, v3);
            h = Merge(h, v4);
        }
        else
        {
            h = P5;
        }

        h = unchecked(h + length);
        while (data.Length >= 8)
        {
            h ^= Round(0, BinaryPrimitives.ReadUInt64LittleEndian(data));
            h = unchecked((BitOperations.RotateLeft(h, 27) * P1) + P4);
            data = data[8..];
        }

        if (data.Length >= 4)
        {
            h ^= unchecked(BinaryPrimitives.ReadUInt32LittleEndian(data) * P1);
            h = unchecked((BitOperations.RotateLeft(h, 23) * P2) + P3);
            data = data[4..];
        }

        foreach (var b in data)
        {
            h ^= unchecked(b * P5);
            h = unchecked(BitOperations.RotateLeft(h, 11) * P1);
        }

        h ^= h >> 33;
        h = unchecked(h * P2);
        h ^= h >> 29;
        h = unchecked(h * P3);
        h ^= h >> 32;
        return h;
    }

    private static ulong Round(ulong acc, ulong lane) => unchecked(BitOperations.RotateLeft(acc + (lane * P2), 31) * P1);

    private static ulong Merge(ulong acc, ulong value) => unchecked(((acc ^ Round(0, value)) * P1) + P4);
}
