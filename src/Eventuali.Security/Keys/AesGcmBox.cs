using System.Security.Cryptography;

namespace Eventuali.Security.Keys;

/// <summary>
/// AES-256-GCM with a fresh random 96-bit nonce per seal, laid out as nonce | ciphertext | tag. Used wherever a
/// key encrypts bytes: wrapping data keys and encrypting fields.
/// </summary>
public static class AesGcmBox
{
    /// <summary>Bytes added to the plaintext: 12 for the nonce and 16 for the tag.</summary>
    public const int Overhead = NonceSize + TagSize;

    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int NoncesPerFill = 256;

    // Nonces come from the system's CSPRNG a few kilobytes at a time: one call per field costs more than sealing a
    // short field. Each byte is handed out once and cleared.
    [ThreadStatic]
    private static byte[]? t_nonces;

    [ThreadStatic]
    private static int t_next;

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="output"/> (plaintext length + <see cref="Overhead"/>).</summary>
    public static void Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> output)
    {
        if (output.Length != plaintext.Length + Overhead)
        {
            throw new ArgumentException($"The output must be {plaintext.Length + Overhead} bytes.", nameof(output));
        }

        using var aes = new AesGcm(key, TagSize);
        Seal(aes, plaintext, associatedData, output);
    }

    private static void FillNonce(Span<byte> nonce)
    {
        var buffer = t_nonces;
        if (buffer is null || t_next == buffer.Length)
        {
            buffer = t_nonces ??= new byte[NonceSize * NoncesPerFill];
            RandomNumberGenerator.Fill(buffer);
            t_next = 0;
        }

        var next = buffer.AsSpan(t_next, NonceSize);
        next.CopyTo(nonce);
        next.Clear();
        t_next += NonceSize;
    }

    /// <summary>A cipher for <see cref="Seal(AesGcm, ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/> and <see cref="TryOpen(AesGcm, ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/>.</summary>
    internal static AesGcm CipherFor(ReadOnlySpan<byte> key) => new(key, TagSize);

    /// <summary>As <see cref="Seal(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/> with a cipher already keyed (reused: keying costs more than a short field).</summary>
    internal static void Seal(AesGcm aes, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> output)
    {
        if (output.Length != plaintext.Length + Overhead)
        {
            throw new ArgumentException($"The output must be {plaintext.Length + Overhead} bytes.", nameof(output));
        }

        var nonce = output[..NonceSize];
        FillNonce(nonce);
        aes.Encrypt(nonce, plaintext, output.Slice(NonceSize, plaintext.Length), output[^TagSize..], associatedData);
    }

    /// <summary>Decrypts a sealed box into <paramref name="plaintext"/>; false when it was altered, moved or sealed with another key.</summary>
    public static bool TryOpen(ReadOnlySpan<byte> key, ReadOnlySpan<byte> sealedBox, ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        if (sealedBox.Length < Overhead || plaintext.Length != sealedBox.Length - Overhead)
        {
            return false;
        }

        using var aes = new AesGcm(key, TagSize);
        return TryOpen(aes, sealedBox, associatedData, plaintext);
    }

    /// <summary>As <see cref="TryOpen(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/> with a cipher already keyed.</summary>
    internal static bool TryOpen(AesGcm aes, ReadOnlySpan<byte> sealedBox, ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        if (sealedBox.Length < Overhead || plaintext.Length != sealedBox.Length - Overhead)
        {
            return false;
        }

        try
        {
            aes.Decrypt(sealedBox[..NonceSize], sealedBox.Slice(NonceSize, plaintext.Length), sealedBox[^TagSize..], plaintext, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }
}
