using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Eventuali.Security.DataKeys;
using Eventuali.Security.Keys;

namespace Eventuali.Security.Encryption;

/// <summary>
/// Encrypts top-level fields of a JSON object in place. An encrypted field's value becomes the envelope
/// <c>{"$eventuali":"enc1","k":VERSION,"t":KIND,"c":"BASE64(nonce|ciphertext|tag)"}</c>: the plaintext is the field's
/// JSON text, KIND is its JSON kind (s string, n number, b boolean, o object, a array, z null) so a redacted field
/// reads as a value of a sensible shape, and the associated data binds (store, tenant, stream, event, field, subject,
/// version).
/// </summary>
internal static class JsonFieldCipher
{
    public const string Marker = "$eventuali";
    public const string Version1 = "enc1";

    /// <summary>The subject named by <paramref name="field"/> of a JSON object (a string, or a number's text), or null.</summary>
    public static string? ReadSubject(ReadOnlyMemory<byte> json, string field)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(field, out var value)
                ? value.ValueKind switch { JsonValueKind.String => value.GetString(), JsonValueKind.Number => value.GetRawText(), _ => null }
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The object with <paramref name="fields"/> (those present) encrypted, and the names encrypted; null when none is present.</summary>
    public static (byte[] Json, string Fields)? Encrypt(ReadOnlyMemory<byte> json, IReadOnlyList<string> fields, DataKey key, in FieldContext context)
    {
        using var doc = Parse(json, context);
        var output = new ArrayBufferWriter<byte>(json.Length + (64 * fields.Count));
        var done = new List<string>(fields.Count);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (Contains(fields, property.Name))
                {
                    Envelope(writer, property, key, context, done);
                }
                else
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return done.Count == 0 ? null : (output.WrittenSpan.ToArray(), string.Join(',', done));
    }

    /// <summary>
    /// The object with its envelopes opened; each envelope <paramref name="lookup"/> cannot open (erased key) becomes the
    /// redaction marker and is listed in <paramref name="redacted"/>.
    /// </summary>
    public static byte[] Decrypt(ReadOnlyMemory<byte> json, KeyLookup lookup, int version, in FieldContext context, List<string> redacted)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw context.Fail(lookup.Key, version, "the payload is not the JSON object it was stored as.", e);
        }

        using (doc)
        {
            var output = new ArrayBufferWriter<byte>(json.Length);
            using (var writer = new Utf8JsonWriter(output))
            {
                writer.WriteStartObject();
                foreach (var property in doc.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty(Marker, out var marker) && marker.ValueEquals(Version1))
                    {
                        writer.WritePropertyName(property.Name);
                        Open(writer, property, lookup, context, redacted);
                    }
                    else
                    {
                        property.WriteTo(writer);
                    }
                }

                writer.WriteEndObject();
            }

            return output.WrittenSpan.ToArray();
        }
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> json, in FieldContext context)
    {
        try
        {
            var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                return doc;
            }

            doc.Dispose();
        }
        catch (JsonException)
        {
            // Reported below without the parser's message, which may quote the payload.
        }

        throw new EventEncryptionException(context.StreamId, context.EventId, "personal fields can only be encrypted in a JSON object payload.");
    }

    private static void Envelope(Utf8JsonWriter writer, JsonProperty property, DataKey key, in FieldContext context, List<string> done)
    {
        var plain = JsonMarshal.GetRawUtf8Value(property.Value);
        var sealedBox = new byte[plain.Length + AesGcmBox.Overhead];
        AesGcmBox.Seal(key.Key, plain, context.For(property.Name, key.Version), sealedBox);
        writer.WritePropertyName(property.Name);
        writer.WriteStartObject();
        writer.WriteString(Marker, Version1);
        writer.WriteNumber("k", key.Version);
        writer.WriteString("t", Kind(property.Value.ValueKind));
        writer.WriteBase64String("c", sealedBox);
        writer.WriteEndObject();
        done.Add(property.Name);
    }

    private static void Open(Utf8JsonWriter writer, JsonProperty property, KeyLookup lookup, in FieldContext context, List<string> redacted)
    {
        var envelope = property.Value;
        var version = envelope.TryGetProperty("k", out var k) && k.TryGetInt32(out var v) ? v : 0;
        var kind = envelope.TryGetProperty("t", out var t) ? t.GetString() : null;
        if (lookup.Key is null || lookup.Key.Version != version)
        {
            if (lookup.ErasedAt is not null && lookup.Key is null)
            {
                redacted.Add(property.Name);
                if (kind == "s")
                {
                    writer.WriteStringValue(EncryptionHeaders.RedactionMarker);
                }
                else
                {
                    writer.WriteNullValue();
                }

                return;
            }

            throw context.Fail(lookup.Key, version, $"field '{property.Name}' names data key version {version}, which is not in the store.");
        }

        byte[] sealedBox;
        try
        {
            sealedBox = envelope.GetProperty("c").GetBytesFromBase64();
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or InvalidOperationException)
        {
            throw context.Fail(lookup.Key, version, $"field '{property.Name}' holds a malformed ciphertext.");
        }

        if (sealedBox.Length < AesGcmBox.Overhead)
        {
            throw context.Fail(lookup.Key, version, $"field '{property.Name}' holds a truncated ciphertext.");
        }

        var plain = new byte[sealedBox.Length - AesGcmBox.Overhead];
        if (!AesGcmBox.TryOpen(lookup.Key.Key, sealedBox, context.For(property.Name, version), plain))
        {
            throw context.Fail(lookup.Key, version, $"field '{property.Name}' does not authenticate: it was altered, truncated, or copied from another event, field or store.");
        }

        try
        {
            writer.WriteRawValue(plain, skipInputValidation: false);
        }
        catch (JsonException)
        {
            throw context.Fail(lookup.Key, version, $"field '{property.Name}' decrypted to invalid JSON.");
        }
    }

    private static bool Contains(IReadOnlyList<string> fields, string name)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i] == name)
            {
                return true;
            }
        }

        return false;
    }

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "s",
        JsonValueKind.Number => "n",
        JsonValueKind.True or JsonValueKind.False => "b",
        JsonValueKind.Object => "o",
        JsonValueKind.Array => "a",
        _ => "z",
    };
}
