using Eventuali.Typed;

namespace EventVersioning;

// Version 1 (first release): one name field.
[EventType("customer-registered")]
internal sealed record CustomerRegisteredV1(string CustomerId, string Name);

// Version 2: the name was split; each version keeps its own stored type name.
[EventType("customer-registered.v2")]
internal sealed record CustomerRegisteredV2(string CustomerId, string FirstName, string LastName);

// Version 3 (current): an email address and the marketing consent became part of registration.
[EventType("customer-registered.v3")]
internal sealed record CustomerRegisteredV3(string CustomerId, string FirstName, string LastName, string? Email, bool MarketingConsent);

internal static class Upcasters
{
    /// <summary>Registers V1→V2 and V2→V3; the registry chains them, so a stored V1 is read as V3.</summary>
    public static EventTypeRegistry AddCustomerUpcasters(this EventTypeRegistry types) => types
        .AddUpcaster<CustomerRegisteredV1, CustomerRegisteredV2>(v1 =>
        {
            var space = v1.Name.LastIndexOf(' ');
            return space < 0
                ? new CustomerRegisteredV2(v1.CustomerId, v1.Name, string.Empty)
                : new CustomerRegisteredV2(v1.CustomerId, v1.Name[..space], v1.Name[(space + 1)..]);
        })
        .AddUpcaster<CustomerRegisteredV2, CustomerRegisteredV3>(v2 =>
            new CustomerRegisteredV3(v2.CustomerId, v2.FirstName, v2.LastName, Email: null, MarketingConsent: false));
}
