using System.Text;
using System.Text.Json.Nodes;
using Eventuali.Security.Encryption;
using Eventuali.Security.Keys;

namespace Eventuali.Conformance.Security;

/// <summary>Helpers shared by the security conformance classes.</summary>
internal static class SecurityTestKit
{
    public const string KeyVersionHeader = "eventuali-key-version";

    public static FieldEncryption Encrypt(IEventStore store, IKeyEncryptionKeyProvider provider, Func<FieldEncryptionOptions, FieldEncryptionOptions>? configure = null)
    {
        var options = new FieldEncryptionOptions(provider)
        {
            Policy = new EncryptionPolicy().Add<CustomerRegistered>().Add<CustomerEmailChanged>(),
        };
        return FieldEncryption.Create(store, configure is null ? options : configure(options));
    }

    public static EventData Personal(string subject, string json, params string[] fields)
        => new(EventData.NewEventId(), "conformance.signed-up", Encoding.UTF8.GetBytes(json), EncryptionHeaders.For(subject, fields));

    public static async Task<List<RecordedEvent>> ReadAsync(IEventStore store, string stream, CancellationToken ct)
    {
        var list = new List<RecordedEvent>();
        await foreach (var e in store.ReadStreamAsync(stream, cancellationToken: ct))
        {
            list.Add(e);
        }

        return list;
    }

    public static JsonNode Json(RecordedEvent e) => JsonNode.Parse(e.Data.Span)!;

    public static string Text(ReadOnlyMemory<byte> data) => Encoding.UTF8.GetString(data.Span);

    /// <summary>Whether <paramref name="dump"/> holds <paramref name="needle"/> as raw bytes or as the hex text a SQL dump writes.</summary>
    public static bool Holds(byte[] dump, byte[] needle)
        => dump.AsSpan().IndexOf(needle) >= 0
           || dump.AsSpan().IndexOf(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(needle))) >= 0;
}
