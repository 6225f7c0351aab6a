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

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="output"/> (plaintext length + <see cref="Overhead"/>).</summary>
    public static void Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> output)
    {
        if (output.Length != plaintext.Length + Overhead)
        {
            throw new ArgumentException($"The output must be {plaintext.Length + Overhead} bytes.", nameof(output));
        }

        var nonce = output[..NonceSize];
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, output.Slice(NonceSize, plaintext.Length), output[^TagSize..], associatedData);
    }

    /// <summary>Decrypts a sealed box into <paramref name="plaintext"/>; false when it was altered, moved or sealed with another key.</summary>
    public static bool TryOpen(ReadOnlySpan<byte> key, ReadOnlySpan<byte> sealedBox, ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        if (sealedBox.Length < Overhead || plaintext.Length != sealedBox.Length - Overhead)
        {
            return false;
        }

        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(sealedBox[..NonceSize], sealedBox.Slice(NonceSize, plaintext.Length), sealedBox[^TagSize..], plaintext, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }
}
