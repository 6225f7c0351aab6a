using System.Buffers.Binary;
using System.Text;
using Eventuali.Security.Encryption;

namespace Eventuali.Security.Tests.Encryption;

// The field associated data is now written on the stack instead of from a string per part; stored ciphertexts
// only open if the bytes are exactly the documented layout, so it is pinned here against an independent encoding.
public sealed class AssociatedDataTests
{
    [Theory]
    [InlineData("store-1", null, "account-7", "email", "customer-7", 1)]
    [InlineData("store-1", "acme", "konto-ü-7", "adresse", "kunde-€", 12345)]
    [InlineData("", "", "s", "f", "x", int.MaxValue)]
    public void Field_associated_data_is_the_length_prefixed_parts_in_the_documented_order(string store, string? tenant, string stream, string field, string subject, int version)
    {
        var eventId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var context = new FieldContext(store, tenant, stream, eventId, subject);
        string[] parts = ["eventuali-field/1", store, tenant ?? string.Empty, stream, "0f8fad5bd9cb469fa16570867728950e", field, subject, version.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        var expected = new List<byte>();
        foreach (var part in parts)
        {
            var utf8 = Encoding.UTF8.GetBytes(part);
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, utf8.Length);
            expected.AddRange(length);
            expected.AddRange(utf8);
        }

        Assert.Equal(expected, context.For(field, version));
        Span<byte> stack = stackalloc byte[context.MaxLength(field.Length)];
        Assert.Equal(expected, stack[..context.Write(stack, field, version)].ToArray());
    }
}
