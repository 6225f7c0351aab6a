using System.Security.Cryptography;
using System.Text;
using Eventuali.Security.Keys;

namespace Eventuali.Security.Tests.KeyServices;

/// <summary>Empty associated data is associated data too: it round trips, and it does not open a key bound to something else.</summary>
public sealed class KeyServiceAssociatedDataTests
{
    public static TheoryData<string> Providers => ["aws", "vault", "azure"];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Empty_and_non_empty_associated_data_do_not_open_each_others_keys(string kind)
    {
        await using var aws = new FakeAwsKms();
        await using var vault = new FakeVaultTransit();
        await using var azure = kind == "azure" ? new FakeAzureKeyVault() : null;
        IKeyEncryptionKeyProvider provider;
        switch (kind)
        {
            case "aws":
                aws.AddKey("key-1");
                provider = aws.Provider(["key-1"]);
                break;
            case "vault":
                vault.AddKey("key-1");
                provider = vault.Provider(["key-1"]);
                break;
            default:
                azure!.AddKey("key-1");
                provider = azure.Provider(["key-1"]);
                break;
        }

        var dataKey = RandomNumberGenerator.GetBytes(32);
        var bound = Encoding.UTF8.GetBytes("store-1/subject-42");

        var unbound = await provider.WrapAsync("key-1", dataKey, ReadOnlyMemory<byte>.Empty, TestContext.Current.CancellationToken);
        var withAad = await provider.WrapAsync("key-1", dataKey, bound, TestContext.Current.CancellationToken);

        Assert.Equal(dataKey, await provider.UnwrapAsync("key-1", unbound, ReadOnlyMemory<byte>.Empty, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<KeyProviderException>(() => provider.UnwrapAsync("key-1", unbound, bound, TestContext.Current.CancellationToken).AsTask());
        await Assert.ThrowsAsync<KeyProviderException>(() => provider.UnwrapAsync("key-1", withAad, ReadOnlyMemory<byte>.Empty, TestContext.Current.CancellationToken).AsTask());
    }
}
