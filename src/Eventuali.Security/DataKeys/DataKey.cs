using System.Security.Cryptography;
using Eventuali.Security.Keys;

namespace Eventuali.Security.DataKeys;

/// <summary>An unwrapped data key version held by the cache, with this process's share of its use reservation.</summary>
internal sealed class DataKey(string subjectId, int version, byte[] key, long reservedUntil)
{
    private const int CipherSlots = 4;
    private readonly AesGcm?[] _ciphers = new AesGcm?[CipherSlots];
    private long _used;
    private long _reservedUntil = reservedUntil;

    public string SubjectId { get; } = subjectId;

    public int Version { get; } = version;

    public byte[] Key { get; } = key;

    /// <summary>Seals with this key (see <see cref="AesGcmBox"/>), reusing a keyed cipher.</summary>
    public void Seal(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> output)
    {
        var aes = Rent();
        try
        {
            AesGcmBox.Seal(aes, plaintext, associatedData, output);
        }
        finally
        {
            Return(aes);
        }
    }

    /// <summary>Opens a box sealed with this key; false when it does not authenticate.</summary>
    public bool TryOpen(ReadOnlySpan<byte> sealedBox, ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        var aes = Rent();
        try
        {
            return AesGcmBox.TryOpen(aes, sealedBox, associatedData, plaintext);
        }
        finally
        {
            Return(aes);
        }
    }

    // An AesGcm is not safe for concurrent use, and keying one (the AES key schedule and a native context) costs
    // several times the encryption of a short field: keep a few, each taken by one caller at a time (lock-free).
    private AesGcm Rent()
    {
        for (var i = 0; i < _ciphers.Length; i++)
        {
            if (Interlocked.Exchange(ref _ciphers[i], null) is { } aes)
            {
                return aes;
            }
        }

        return AesGcmBox.CipherFor(Key);
    }

    private void Return(AesGcm aes)
    {
        for (var i = 0; i < _ciphers.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _ciphers[i], aes, null) is null)
            {
                return;
            }
        }

        aes.Dispose();
    }

    public string Id => SubjectId + "/" + Version.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Takes one use of the reservation; false when it is spent (reserve more, or rotate).</summary>
    public bool TryUse() => Interlocked.Increment(ref _used) <= Volatile.Read(ref _reservedUntil);

    /// <summary>Adds a fresh reservation of <paramref name="count"/> uses.</summary>
    public void Reserve(long count)
    {
        // Uses taken past the old reservation were refused, so restart counting from the old limit.
        var limit = Volatile.Read(ref _reservedUntil);
        Volatile.Write(ref _used, limit);
        Volatile.Write(ref _reservedUntil, limit + count);
    }
}

/// <summary>What the cache holds for one subject: its key versions (unwrapped lazily) or the fact that it was erased.</summary>
internal sealed class SubjectKeys(IReadOnlyList<Eventuali.DataKeys.StoredDataKey> stored, DateTimeOffset? erasedAt, DateTimeOffset loadedAt)
{
    private readonly DataKey?[] _unwrapped = new DataKey?[stored.Count];

    public IReadOnlyList<Eventuali.DataKeys.StoredDataKey> Stored { get; } = stored;

    public DateTimeOffset? ErasedAt { get; } = erasedAt;

    public DateTimeOffset LoadedAt { get; } = loadedAt;

    public int NewestVersion => Stored.Count == 0 ? 0 : Stored[^1].Version;

    public int IndexOf(int version)
    {
        for (var i = 0; i < Stored.Count; i++)
        {
            if (Stored[i].Version == version)
            {
                return i;
            }
        }

        return -1;
    }

    public DataKey? Unwrapped(int index) => Volatile.Read(ref _unwrapped[index]);

    public DataKey SetUnwrapped(int index, DataKey key) => Interlocked.CompareExchange(ref _unwrapped[index], key, null) ?? key;
}
