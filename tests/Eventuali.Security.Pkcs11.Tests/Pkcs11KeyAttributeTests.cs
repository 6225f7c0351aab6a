using Net.Pkcs11Interop.Common;

namespace Eventuali.Security.Pkcs11.Tests;

public sealed class Pkcs11KeyAttributeTests
{
    [Fact]
    public void Keys_made_by_the_provider_are_sensitive_and_cannot_be_read_off_the_token()
    {
        var kek = SoftHsmToken.NewLabel("kek-attr");
        var signing = SoftHsmToken.NewLabel("sig-attr");
        var provider = Pkcs11KeyProvider.Open(SoftHsmToken.Options());
        provider.CreateKeyEncryptionKey(kek);
        provider.CreateSigningKey(signing);
        var token = TokenConnection.Open(SoftHsmToken.Module, SoftHsmToken.Token, SoftHsmToken.Pin);

        foreach (var (objectClass, label) in new[] { (CKO.CKO_SECRET_KEY, kek), (CKO.CKO_PRIVATE_KEY, signing) })
        {
            var handle = token.Find(objectClass, label);
            Assert.NotNull(handle);
            var attributes = token.Use(session => session.GetAttributeValue(handle, [CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE, CKA.CKA_TOKEN, CKA.CKA_VALUE]));
            Assert.True(attributes[0].GetValueAsBool());
            Assert.False(attributes[1].GetValueAsBool());
            Assert.True(attributes[2].GetValueAsBool());
            Assert.True(attributes[3].CannotBeRead);
        }
    }
}
