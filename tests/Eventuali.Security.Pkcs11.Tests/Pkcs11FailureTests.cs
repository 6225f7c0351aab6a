using Eventuali.Security.Keys;

namespace Eventuali.Security.Pkcs11.Tests;

public sealed class Pkcs11FailureTests
{
    [Fact]
    public void A_wrong_PIN_is_refused_without_the_PIN_in_the_message()
    {
        // Whether or not this process already logged in to the token, a wrong PIN must be refused.
        const string WrongPin = "987650";
        var e = Assert.Throws<KeyProviderException>(() => Pkcs11KeyProvider.Open(SoftHsmToken.Options(pin: WrongPin)));

        Assert.Contains("refused the PIN", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongPin, e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(SoftHsmToken.Pin, e.ToString(), StringComparison.Ordinal);

        // The right PIN still works afterwards.
        Assert.Equal("PKCS#11", Pkcs11KeyProvider.Open(SoftHsmToken.Options()).Name);
    }

    [Fact]
    public void A_missing_token_is_named()
    {
        var options = new Pkcs11KeyProviderOptions { LibraryPath = SoftHsmToken.Module, TokenLabel = "no-such-token", Pin = SoftHsmToken.Pin };

        var e = Assert.Throws<KeyProviderException>(() => Pkcs11KeyProvider.Open(options));

        Assert.Contains("no initialised token labelled 'no-such-token'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SoftHsmToken.Pin, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_module_that_cannot_be_loaded_is_named()
    {
        var notALibrary = Path.Combine(Path.GetTempPath(), $"eventuali-not-a-module-{Guid.NewGuid():N}.so");
        File.WriteAllText(notALibrary, "this is not a shared library");
        try
        {
            foreach (var path in new[] { "/nonexistent/libpkcs11.so", notALibrary })
            {
                var options = new Pkcs11KeyProviderOptions { LibraryPath = path, TokenLabel = SoftHsmToken.Token, Pin = SoftHsmToken.Pin };
                var e = Assert.Throws<KeyProviderException>(() => Pkcs11KeyProvider.Open(options));
                Assert.Contains($"PKCS#11 module '{path}' could not be loaded", e.Message, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(notALibrary);
        }
    }

    [Fact]
    public async Task A_missing_key_is_named_by_its_label()
    {
        var missing = SoftHsmToken.NewLabel("kek-missing");
        var provider = Pkcs11KeyProvider.Open(SoftHsmToken.Options([missing]));

        var e = await Assert.ThrowsAsync<KeyProviderException>(() => provider.WrapAsync(missing, new byte[32], default, TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(missing, e.KeyId);
        Assert.Contains($"has no secret key labelled '{missing}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_without_a_signing_key_or_with_a_missing_one_is_a_clear_error()
    {
        var none = Pkcs11KeyProvider.Open(SoftHsmToken.Options());
        var e1 = await Assert.ThrowsAsync<KeyProviderException>(() => none.SignAsync(new byte[] { 1 }, TestContext.Current.CancellationToken).AsTask());
        Assert.Contains("No signing key is configured", e1.Message, StringComparison.Ordinal);

        var missing = SoftHsmToken.NewLabel("sig-missing");
        var absent = Pkcs11KeyProvider.Open(SoftHsmToken.Options(signing: missing));
        var e2 = await Assert.ThrowsAsync<KeyProviderException>(() => absent.GetPublicKeyAsync(TestContext.Current.CancellationToken).AsTask());
        Assert.Contains($"has no public key labelled '{missing}'", e2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_active_label_outside_the_configured_ones_is_refused()
    {
        var e = Assert.Throws<KeyProviderException>(() => Pkcs11KeyProvider.Open(SoftHsmToken.Options(["kek-a"], active: "kek-b")));

        Assert.Equal("kek-b", e.KeyId);
        Assert.DoesNotContain(SoftHsmToken.Pin, e.ToString(), StringComparison.Ordinal);
    }
}
