using System.Security.Cryptography;
using System.Text;
using Eventuali.Security.Keys;

namespace Eventuali.Security.Pkcs11.Tests;

public sealed class Pkcs11KeyProviderTests
{
    private static readonly byte[] Aad = Encoding.UTF8.GetBytes("store-1/subject-42");

    private static Pkcs11KeyProvider WithNewKek(out string label)
    {
        label = SoftHsmToken.NewLabel("kek");
        Pkcs11KeyProvider.Open(SoftHsmToken.Options()).CreateKeyEncryptionKey(label);
        return Pkcs11KeyProvider.Open(SoftHsmToken.Options([label]));
    }

    [Fact]
    public async Task A_data_key_wrapped_on_the_token_unwraps_with_the_same_associated_data()
    {
        var provider = WithNewKek(out var label);
        var dataKey = RandomNumberGenerator.GetBytes(32);

        var active = await provider.GetActiveKeyIdAsync(TestContext.Current.CancellationToken);
        var wrapped = await provider.WrapAsync(active, dataKey, Aad, TestContext.Current.CancellationToken);
        var again = await provider.WrapAsync(active, dataKey, Aad, TestContext.Current.CancellationToken);

        Assert.Equal(label, active);
        Assert.Equal("PKCS#11", provider.Name);
        Assert.Equal(12 + 32 + 16, wrapped.Length);
        Assert.NotEqual(wrapped, again); // a fresh IV each time
        Assert.False(wrapped.AsSpan().IndexOf(dataKey) >= 0);
        Assert.Equal(dataKey, await provider.UnwrapAsync(label, wrapped, Aad, TestContext.Current.CancellationToken));
        Assert.Equal(dataKey, await provider.UnwrapAsync(label, again, Aad, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_wrap_is_standard_AES_GCM_with_the_associated_data_as_AAD()
    {
        // The token's AES key cannot be read, so the format is checked the other way round: a box that the token
        // opens must be IV | ciphertext | tag, which a tampered IV, ciphertext, tag or AAD each break.
        var provider = WithNewKek(out var label);
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var wrapped = await provider.WrapAsync(label, dataKey, Aad, TestContext.Current.CancellationToken);

        foreach (var index in new[] { 0, 11, 12, 43, 44, wrapped.Length - 1 })
        {
            var tampered = (byte[])wrapped.Clone();
            tampered[index] ^= 0x01;
            var e = await Assert.ThrowsAsync<KeyProviderException>(() => provider.UnwrapAsync(label, tampered, Aad, TestContext.Current.CancellationToken).AsTask());
            Assert.Equal(label, e.KeyId);
            Assert.Contains("does not unwrap", e.Message, StringComparison.Ordinal);
        }

        var moved = await Assert.ThrowsAsync<KeyProviderException>(() => provider.UnwrapAsync(label, wrapped, Encoding.UTF8.GetBytes("store-1/subject-43"), TestContext.Current.CancellationToken).AsTask());
        Assert.Contains("another store or subject", moved.Message, StringComparison.Ordinal);
        var truncated = await Assert.ThrowsAsync<KeyProviderException>(() => provider.UnwrapAsync(label, wrapped.AsMemory(0, 20), Aad, TestContext.Current.CancellationToken).AsTask());
        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_then_promote_wraps_new_keys_with_the_new_KEK_and_still_unwraps_the_old_ones()
    {
        var admin = Pkcs11KeyProvider.Open(SoftHsmToken.Options());
        var old = SoftHsmToken.NewLabel("kek-old");
        var next = SoftHsmToken.NewLabel("kek-new");
        admin.CreateKeyEncryptionKey(old);
        var before = Pkcs11KeyProvider.Open(SoftHsmToken.Options([old]));
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var wrappedByOld = await before.WrapAsync(before.ActiveKeyId, dataKey, Aad, TestContext.Current.CancellationToken);

        admin.CreateKeyEncryptionKey(next);
        var added = Pkcs11KeyProvider.Open(SoftHsmToken.Options([old, next], active: old));
        var promoted = Pkcs11KeyProvider.Open(SoftHsmToken.Options([old, next], active: next));
        var wrappedByNew = await promoted.WrapAsync(promoted.ActiveKeyId, dataKey, Aad, TestContext.Current.CancellationToken);

        Assert.Equal(old, added.ActiveKeyId);
        Assert.Equal(next, promoted.ActiveKeyId);
        Assert.Equal(dataKey, await promoted.UnwrapAsync(old, wrappedByOld, Aad, TestContext.Current.CancellationToken));
        Assert.Equal(dataKey, await added.UnwrapAsync(next, wrappedByNew, Aad, TestContext.Current.CancellationToken));

        // The other key cannot open a box it did not seal.
        await Assert.ThrowsAsync<KeyProviderException>(() => promoted.UnwrapAsync(next, wrappedByOld, Aad, TestContext.Current.CancellationToken).AsTask());

        // Once the old label is retired from the configuration it is refused by name.
        var retired = Pkcs11KeyProvider.Open(SoftHsmToken.Options([next]));
        var e = await Assert.ThrowsAsync<KeyProviderException>(() => retired.UnwrapAsync(old, wrappedByOld, Aad, TestContext.Current.CancellationToken).AsTask());
        Assert.Equal(old, e.KeyId);
        Assert.Contains("not among the configured labels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_wraps_and_unwraps_share_the_token_safely()
    {
        var provider = WithNewKek(out var label);
        var keys = Enumerable.Range(0, 64).Select(_ => RandomNumberGenerator.GetBytes(32)).ToArray();

        var results = await Task.WhenAll(keys.Select((key, i) => Task.Run(async () =>
        {
            var aad = Encoding.UTF8.GetBytes($"subject-{i}");
            var wrapped = await provider.WrapAsync(label, key, aad, TestContext.Current.CancellationToken);
            return await provider.UnwrapAsync(label, wrapped, aad, TestContext.Current.CancellationToken);
        })));

        Assert.Equal(keys, results);
    }

    [Fact]
    public async Task A_checkpoint_signature_is_P1363_ECDSA_P256_over_SHA256_and_verifies_with_the_exported_public_key()
    {
        var signing = SoftHsmToken.NewLabel("sig");
        Pkcs11KeyProvider.Open(SoftHsmToken.Options()).CreateSigningKey(signing);
        var provider = Pkcs11KeyProvider.Open(SoftHsmToken.Options(signing: signing));
        var data = Encoding.UTF8.GetBytes("checkpoint: position 1000, hash 9f86d081");

        var signature = await provider.SignAsync(data, TestContext.Current.CancellationToken);
        var spki = await provider.GetPublicKeyAsync(TestContext.Current.CancellationToken);

        using var verifier = ECDsa.Create();
        verifier.ImportSubjectPublicKeyInfo(spki, out var read);
        Assert.Equal(spki.Length, read);
        Assert.Equal(256, verifier.KeySize);
        Assert.Equal(signing, provider.SigningKeyId);
        Assert.Equal(64, signature.Length);
        Assert.True(verifier.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        data[0] ^= 1;
        Assert.False(verifier.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public async Task Creating_a_key_under_a_taken_label_is_refused_and_leaves_the_key_unchanged()
    {
        var provider = WithNewKek(out var label);
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var wrapped = await provider.WrapAsync(label, dataKey, Aad, TestContext.Current.CancellationToken);

        var e = Assert.Throws<KeyProviderException>(() => provider.CreateKeyEncryptionKey(label));

        Assert.Contains("already has", e.Message, StringComparison.Ordinal);
        Assert.Equal(dataKey, await provider.UnwrapAsync(label, wrapped, Aad, TestContext.Current.CancellationToken));
    }
}
