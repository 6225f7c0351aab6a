using System.Text;
using Eventuali.Security.Keys;

namespace Eventuali.Security.Tests.KeyServices;

/// <summary>Every HTTP key provider treats an unreachable, throttled, failing or silent service alike: transient, named, no secret.</summary>
public sealed class KeyServiceFailureTests
{
    private static readonly byte[] Aad = Encoding.UTF8.GetBytes("store-1/subject-42");

    public static TheoryData<string> Providers => ["aws", "vault", "azure"];

    private static IKeyEncryptionKeyProvider Provider(string kind, Uri endpoint, TimeSpan? timeout = null) => kind switch
    {
        "aws" => FakeAwsKms.Provider(endpoint, ["key-1"], timeout: timeout),
        "vault" => FakeVaultTransit.Provider(endpoint, ["key-1"], timeout: timeout),
        _ => FakeAzureKeyVault.Provider(endpoint, ["key-1"], timeout: timeout),
    };

    private static void AssertNoSecret(Exception e)
    {
        var text = e.ToString();
        Assert.DoesNotContain(FakeAwsKms.Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeVaultTransit.Token, text, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeAzureKeyVault.AccessToken, text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_unreachable_endpoint_is_a_transient_error(string kind)
    {
        var provider = Provider(kind, LoopbackServer.Unreachable());

        var e = await Assert.ThrowsAsync<KeyProviderException>(() => provider.WrapAsync("key-1", new byte[32], Aad, TestContext.Current.CancellationToken).AsTask());

        Assert.True(e.IsTransient);
        Assert.Equal("key-1", e.KeyId);
        Assert.Contains($"{provider.Name} is unreachable at http://127.0.0.1:", e.Message, StringComparison.Ordinal);
        AssertNoSecret(e);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_throttled_service_is_a_transient_error(string kind)
    {
        await using var server = LoopbackServer.Start(_ => new FakeResponse(500, "{}"));
        server.Mode = FakeMode.Throttle;
        var provider = Provider(kind, server.BaseAddress);

        var e = await Assert.ThrowsAsync<KeyProviderException>(() => provider.WrapAsync("key-1", new byte[32], Aad, TestContext.Current.CancellationToken).AsTask());

        Assert.True(e.IsTransient);
        Assert.Contains("throttling requests (HTTP 429", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.Requests);
        AssertNoSecret(e);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_failing_service_is_a_transient_error(string kind)
    {
        await using var server = LoopbackServer.Start(_ => new FakeResponse(500, "{}"));
        server.Mode = FakeMode.Fail;
        var provider = Provider(kind, server.BaseAddress);

        var e = await Assert.ThrowsAsync<KeyProviderException>(() => provider.WrapAsync("key-1", new byte[32], Aad, TestContext.Current.CancellationToken).AsTask());

        Assert.True(e.IsTransient);
        Assert.Contains($"{provider.Name} failed (HTTP 503", e.Message, StringComparison.Ordinal);
        AssertNoSecret(e);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_service_that_does_not_answer_times_out_as_a_transient_error(string kind)
    {
        await using var server = LoopbackServer.Start(_ => new FakeResponse(500, "{}"));
        server.Mode = FakeMode.Hang;
        var provider = Provider(kind, server.BaseAddress, TimeSpan.FromSeconds(1));

        var e = await Assert.ThrowsAsync<KeyProviderException>(() => provider.WrapAsync("key-1", new byte[32], Aad, TestContext.Current.CancellationToken).AsTask());

        Assert.True(e.IsTransient);
        Assert.Contains("did not answer within 1 s", e.Message, StringComparison.Ordinal);
        AssertNoSecret(e);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_callers_cancellation_is_a_cancellation_not_a_provider_error(string kind)
    {
        await using var server = LoopbackServer.Start(_ => new FakeResponse(500, "{}"));
        server.Mode = FakeMode.Hang;
        var provider = Provider(kind, server.BaseAddress);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var wrap = provider.WrapAsync("key-1", new byte[32], Aad, cancel.Token).AsTask();

        // Cancel once the request is known to be in flight.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (server.Requests == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wrap);
    }
}
