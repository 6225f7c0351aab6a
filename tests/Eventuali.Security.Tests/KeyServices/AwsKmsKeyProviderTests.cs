using System.Security.Cryptography;
using System.Text;
using Eventuali.Security.Keys;

namespace Eventuali.Security.Tests.KeyServices;

public sealed class AwsKmsKeyProviderTests
{
    private static readonly byte[] Aad = Encoding.UTF8.GetBytes("store-1/subject-42");

    [Fact]
    public async Task A_data_key_round_trips_through_signed_Encrypt_and_Decrypt_bound_to_its_associated_data()
    {
        await using var kms = new FakeAwsKms();
        kms.AddKey("alias/eventuali");
        var provider = kms.Provider(["alias/eventuali"]);
        var dataKey = RandomNumberGenerator.GetBytes(32);

        var keyId = await provider.GetActiveKeyIdAsync(TestContext.Current.CancellationToken);
        var wrapped = await provider.WrapAsync(keyId, dataKey, Aad, TestContext.Current.CancellationToken);

        Assert.Equal("AWS KMS", provider.Name);
        Assert.Equal("alias/eventuali", keyId);
        Assert.False(wrapped.AsSpan().IndexOf(dataKey) >= 0);
        Assert.Equal(dataKey, await provider.UnwrapAsync(keyId, wrapped, Aad, TestContext.Current.CancellationToken));

        var moved = await Assert.ThrowsAsync<KeyProviderException>(() => provider.UnwrapAsync(keyId, wrapped, Encoding.UTF8.GetBytes("store-1/subject-43"), TestContext.Current.CancellationToken).AsTask());
        Assert.False(moved.IsTransient);
        Assert.Equal(keyId, moved.KeyId);
        Assert.Contains("does not unwrap", moved.Message, StringComparison.Ordinal);

        wrapped[^1] ^= 1;
        await Assert.ThrowsAsync<KeyProviderException>(() => provider.UnwrapAsync(keyId, wrapped, Aad, TestContext.Current.CancellationToken).AsTask());
    }

    [Fact]
    public async Task Add_then_promote_wraps_with_the_new_key_and_still_unwraps_with_the_old_one()
    {
        await using var kms = new FakeAwsKms();
        kms.AddKey("key-1");
        kms.AddKey("key-2");
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var before = kms.Provider(["key-1"]);
        var oldWrapped = await before.WrapAsync("key-1", dataKey, Aad, TestContext.Current.CancellationToken);

        var promoted = kms.Provider(["key-1", "key-2"], active: "key-2");
        var newWrapped = await promoted.WrapAsync(await promoted.GetActiveKeyIdAsync(TestContext.Current.CancellationToken), dataKey, Aad, TestContext.Current.CancellationToken);

        Assert.Equal(dataKey, await promoted.UnwrapAsync("key-1", oldWrapped, Aad, TestContext.Current.CancellationToken));
        Assert.Equal(dataKey, await promoted.UnwrapAsync("key-2", newWrapped, Aad, TestContext.Current.CancellationToken));
        var wrongKey = await Assert.ThrowsAsync<KeyProviderException>(() => promoted.UnwrapAsync("key-2", oldWrapped, Aad, TestContext.Current.CancellationToken).AsTask());
        Assert.Contains("wrapped by another key", wrongKey.Message, StringComparison.Ordinal);
        var retired = await Assert.ThrowsAsync<KeyProviderException>(() => kms.Provider(["key-2"]).UnwrapAsync("key-1", oldWrapped, Aad, TestContext.Current.CancellationToken).AsTask());
        Assert.Contains("not among the configured key ids", retired.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_signed_with_the_wrong_secret_is_refused_without_the_secret_in_the_message()
    {
        await using var kms = new FakeAwsKms();
        kms.AddKey("key-1");
        const string WrongSecret = "not-the-secret-0123456789";

        var e = await Assert.ThrowsAsync<KeyProviderException>(() => kms.Provider(["key-1"], secret: WrongSecret).WrapAsync("key-1", new byte[32], Aad, TestContext.Current.CancellationToken).AsTask());

        Assert.False(e.IsTransient);
        Assert.Contains("HTTP 400 InvalidSignatureException", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongSecret, e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(FakeAwsKms.Secret, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Temporary_credentials_send_and_sign_the_session_token()
    {
        await using var kms = new FakeAwsKms();
        kms.AddKey("key-1");
        var provider = kms.Provider(["key-1"], sessionToken: "session-token-abc");
        var dataKey = RandomNumberGenerator.GetBytes(32);

        var wrapped = await provider.WrapAsync("key-1", dataKey, Aad, TestContext.Current.CancellationToken);

        Assert.Equal("session-token-abc", kms.LastSecurityToken);
        Assert.Equal(dataKey, await provider.UnwrapAsync("key-1", wrapped, Aad, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_unknown_key_at_KMS_is_a_non_transient_error_naming_it()
    {
        await using var kms = new FakeAwsKms();

        var e = await Assert.ThrowsAsync<KeyProviderException>(() => kms.Provider(["missing"]).WrapAsync("missing", new byte[32], Aad, TestContext.Current.CancellationToken).AsTask());

        Assert.False(e.IsTransient);
        Assert.Equal("missing", e.KeyId);
        Assert.Contains("AWS KMS refused to wrap a data key with key 'missing' (HTTP 400 NotFoundException)", e.Message, StringComparison.Ordinal);
    }
}
