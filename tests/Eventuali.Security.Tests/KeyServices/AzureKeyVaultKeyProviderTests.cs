using System.Security.Cryptography;
using System.Text;
using Eventuali.Security.Keys;

namespace Eventuali.Security.Tests.KeyServices;

public sealed class AzureKeyVaultKeyProviderTests
{
    private static readonly byte[] Aad = Encoding.UTF8.GetBytes("store-1/subject-42");

    [Fact]
    public async Task A_data_key_round_trips_through_wrapkey_and_unwrapkey()
    {
        await using var vault = new FakeAzureKeyVault();
        vault.AddKey("eventuali-kek");
        var provider = vault.Provider(["eventuali-kek"]);
        var dataKey = RandomNumberGenerator.GetBytes(32);

        var wrapped = await provider.WrapAsync("eventuali-kek", dataKey, Aad, TestContext.Current.CancellationToken);

        Assert.Equal("Azure Key Vault", provider.Name);
        Assert.Equal(1, wrapped[0]); // format version, then the key version that wrapped it
        Assert.Equal(2 + wrapped[1] + 256, wrapped.Length); // an RSA-2048 ciphertext
        Assert.Equal(dataKey, await provider.UnwrapAsync("eventuali-kek", wrapped, Aad, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_associated_data_is_bound_although_RSA_wrap_has_none()
    {
        await using var vault = new FakeAzureKeyVault();
        vault.AddKey("eventuali-kek");
        var provider = vault.Provider(["eventuali-kek"]);
        var wrapped = await provider.WrapAsync("eventuali-kek", RandomNumberGenerator.GetBytes(32), Aad, TestContext.Current.CancellationToken);

        var moved = await Assert.ThrowsAsync<KeyProviderException>(() => provider.UnwrapAsync("eventuali-kek", wrapped, Encoding.UTF8.GetBytes("store-1/subject-43"), TestContext.Current.CancellationToken).AsTask());
        Assert.False(moved.IsTransient);
        Assert.Contains("belongs to another store or subject", moved.Message, StringComparison.Ordinal);

        wrapped[^1] ^= 1; // a tampered RSA ciphertext: the vault refuses it
        var tampered = await Assert.ThrowsAsync<KeyProviderException>(() => provider.UnwrapAsync("eventuali-kek", wrapped, Aad, TestContext.Current.CancellationToken).AsTask());
        Assert.Contains("does not unwrap", tampered.Message, StringComparison.Ordinal);

        var truncated = await Assert.ThrowsAsync<KeyProviderException>(() => provider.UnwrapAsync("eventuali-kek", wrapped.AsMemory(0, 2), Aad, TestContext.Current.CancellationToken).AsTask());
        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Key_Vault_rotation_leaves_keys_wrapped_by_the_old_version_readable()
    {
        await using var vault = new FakeAzureKeyVault();
        vault.AddKey("eventuali-kek");
        var provider = vault.Provider(["eventuali-kek"]);
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var before = await provider.WrapAsync("eventuali-kek", dataKey, Aad, TestContext.Current.CancellationToken);

        vault.Rotate("eventuali-kek");
        var after = await provider.WrapAsync("eventuali-kek", dataKey, Aad, TestContext.Current.CancellationToken);

        Assert.NotEqual(before.AsSpan(2, before[1]).ToArray(), after.AsSpan(2, after[1]).ToArray());
        Assert.Equal(dataKey, await provider.UnwrapAsync("eventuali-kek", before, Aad, TestContext.Current.CancellationToken));
        Assert.Equal(dataKey, await provider.UnwrapAsync("eventuali-kek", after, Aad, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Add_then_promote_across_vault_keys()
    {
        await using var vault = new FakeAzureKeyVault();
        vault.AddKey("kek-a");
        vault.AddKey("kek-b");
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var old = await vault.Provider(["kek-a"]).WrapAsync("kek-a", dataKey, Aad, TestContext.Current.CancellationToken);

        var promoted = vault.Provider(["kek-a", "kek-b"], active: "kek-b");

        Assert.Equal("kek-b", await promoted.GetActiveKeyIdAsync(TestContext.Current.CancellationToken));
        Assert.Equal(dataKey, await promoted.UnwrapAsync("kek-a", old, Aad, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<KeyProviderException>(() => promoted.UnwrapAsync("kek-b", old, Aad, TestContext.Current.CancellationToken).AsTask());
    }

    [Fact]
    public async Task A_rejected_token_is_a_non_transient_error_without_the_token()
    {
        await using var vault = new FakeAzureKeyVault();
        vault.AddKey("eventuali-kek");
        const string WrongToken = "eyJ.wrong-token.sig";

        var e = await Assert.ThrowsAsync<KeyProviderException>(() => vault.Provider(["eventuali-kek"], token: WrongToken).WrapAsync("eventuali-kek", new byte[32], Aad, TestContext.Current.CancellationToken).AsTask());

        Assert.False(e.IsTransient);
        Assert.Contains("HTTP 401 Unauthorized", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongToken, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_name_that_is_not_a_Key_Vault_name_is_refused_up_front()
    {
        var e = Assert.Throws<KeyProviderException>(() => FakeAzureKeyVault.Provider(new Uri("https://example.vault.azure.net/"), ["../secrets/x"]));

        Assert.Contains("is not a Key Vault key name", e.Message, StringComparison.Ordinal);
    }
}
