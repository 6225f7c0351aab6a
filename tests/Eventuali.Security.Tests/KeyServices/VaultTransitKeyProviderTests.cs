using System.Security.Cryptography;
using System.Text;
using Eventuali.Security.Keys;

namespace Eventuali.Security.Tests.KeyServices;

public sealed class VaultTransitKeyProviderTests
{
    private static readonly byte[] Aad = Encoding.UTF8.GetBytes("store-1/subject-42");
    private static readonly byte[] OtherAad = Encoding.UTF8.GetBytes("store-1/subject-43");

    [Fact]
    public async Task A_data_key_round_trips_with_the_associated_data_bound_and_the_namespace_sent()
    {
        await using var vault = new FakeVaultTransit();
        vault.AddKey("eventuali");
        var provider = vault.Provider(["eventuali"], ns: "team-a");
        var dataKey = RandomNumberGenerator.GetBytes(32);

        var wrapped = await provider.WrapAsync("eventuali", dataKey, Aad, TestContext.Current.CancellationToken);

        Assert.Equal("Vault transit", provider.Name);
        Assert.StartsWith("vault:v1:", Encoding.UTF8.GetString(wrapped), StringComparison.Ordinal);
        Assert.Equal("team-a", vault.LastNamespace);
        Assert.Equal(dataKey, await provider.UnwrapAsync("eventuali", wrapped, Aad, TestContext.Current.CancellationToken));
        var moved = await Assert.ThrowsAsync<KeyProviderException>(() => provider.UnwrapAsync("eventuali", wrapped, OtherAad, TestContext.Current.CancellationToken).AsTask());
        Assert.False(moved.IsTransient);
        Assert.Contains("does not unwrap", moved.Message, StringComparison.Ordinal);
        var corrupt = await Assert.ThrowsAsync<KeyProviderException>(() => provider.UnwrapAsync("eventuali", new byte[] { 1, 2, 3 }, Aad, TestContext.Current.CancellationToken).AsTask());
        Assert.Contains("not a vault ciphertext", corrupt.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_derived_key_binds_the_associated_data_as_its_context()
    {
        await using var vault = new FakeVaultTransit("secret/transit");
        vault.AddKey("derived", derived: true);
        var provider = vault.Provider(["derived"], context: true);
        var dataKey = RandomNumberGenerator.GetBytes(32);

        var wrapped = await provider.WrapAsync("derived", dataKey, Aad, TestContext.Current.CancellationToken);

        Assert.Equal(dataKey, await provider.UnwrapAsync("derived", wrapped, Aad, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<KeyProviderException>(() => provider.UnwrapAsync("derived", wrapped, OtherAad, TestContext.Current.CancellationToken).AsTask());
        var noContext = await Assert.ThrowsAsync<KeyProviderException>(() => vault.Provider(["derived"]).WrapAsync("derived", dataKey, Aad, TestContext.Current.CancellationToken).AsTask());
        Assert.Contains("HTTP 400", noContext.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vault_key_rotation_keeps_old_versions_readable_until_the_minimum_version_is_raised()
    {
        await using var vault = new FakeVaultTransit();
        vault.AddKey("eventuali");
        var provider = vault.Provider(["eventuali"]);
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var v1 = await provider.WrapAsync("eventuali", dataKey, Aad, TestContext.Current.CancellationToken);

        vault.Rotate("eventuali");
        var v2 = await provider.WrapAsync("eventuali", dataKey, Aad, TestContext.Current.CancellationToken);

        Assert.StartsWith("vault:v2:", Encoding.UTF8.GetString(v2), StringComparison.Ordinal);
        Assert.Equal(dataKey, await provider.UnwrapAsync("eventuali", v1, Aad, TestContext.Current.CancellationToken));
        vault.SetMinDecryptionVersion("eventuali", 2);
        Assert.Equal(dataKey, await provider.UnwrapAsync("eventuali", v2, Aad, TestContext.Current.CancellationToken));
        var retired = await Assert.ThrowsAsync<KeyProviderException>(() => provider.UnwrapAsync("eventuali", v1, Aad, TestContext.Current.CancellationToken).AsTask());
        Assert.Contains("no longer allowed to decrypt", retired.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_then_promote_across_transit_keys()
    {
        await using var vault = new FakeVaultTransit();
        vault.AddKey("kek-a");
        vault.AddKey("kek-b");
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var old = await vault.Provider(["kek-a"]).WrapAsync("kek-a", dataKey, Aad, TestContext.Current.CancellationToken);

        var promoted = vault.Provider(["kek-a", "kek-b"], active: "kek-b");

        Assert.Equal("kek-b", await promoted.GetActiveKeyIdAsync(TestContext.Current.CancellationToken));
        Assert.Equal(dataKey, await promoted.UnwrapAsync("kek-a", old, Aad, TestContext.Current.CancellationToken));
        var rewrapped = await promoted.WrapAsync("kek-b", dataKey, Aad, TestContext.Current.CancellationToken);
        Assert.Equal(dataKey, await promoted.UnwrapAsync("kek-b", rewrapped, Aad, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_wrong_token_is_refused_without_the_token_in_the_message()
    {
        await using var vault = new FakeVaultTransit();
        vault.AddKey("eventuali");
        const string WrongToken = "hvs.wrong-token-9876543210";

        var e = await Assert.ThrowsAsync<KeyProviderException>(() => vault.Provider(["eventuali"], token: WrongToken).WrapAsync("eventuali", new byte[32], Aad, TestContext.Current.CancellationToken).AsTask());

        Assert.False(e.IsTransient);
        Assert.Contains("HTTP 403 \"permission denied\"", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongToken, e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(FakeVaultTransit.Token, e.ToString(), StringComparison.Ordinal);
    }
}
