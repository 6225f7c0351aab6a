using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Eventuali.Security.DataKeys;
using Eventuali.Security.Keys;

namespace Eventuali.Security.Encryption;

/// <summary>
/// Encrypts top-level fields of a JSON object in place. An encrypted field's value becomes the envelope
/// <c>{"$eventuali":"enc1","k":VERSION,"t":KIND,"c":"BASE64(nonce|ciphertext|tag)"}</c>: the plaintext is the field's
/// JSON text, KIND is its JSON kind (s string, n number, b boolean, o object, a array, z null) so a redacted field
/// reads as a value of a sensible shape, and the associated data binds (store, tenant, stream, event, field, subject,
/// version). The payload is scanned once with a reader and the bytes between the fields it changes are copied as
/// they are, so encrypting and decrypting cost a scan and a copy, not a parse into a document and a re-serialisation.
/// </summary>
internal static partial class JsonFieldCipher
{
    public const string Marker = "$eventuali";
    public const string Version1 = "enc1";

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 256 };

    /// <summary>The subject named by <paramref name="field"/> of a JSON object (a string, or a number's text), or null.</summary>
    public static string? ReadSubject(ReadOnlyMemory<byte> json, string field)
    {
        try
        {
            var reader = new Utf8JsonReader(json.Span, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = reader.ValueTextEquals(field);
                reader.Read();
                if (match)
                {
                    return reader.TokenType switch
                    {
                        JsonTokenType.String => reader.GetString(),
                        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                        _ => null,
                    };
                }

                reader.Skip();
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The object with <paramref name="fields"/> (those present) encrypted, and the names encrypted; null when none is present.</summary>
    public static (byte[] Json, string Fields)? Encrypt(ReadOnlyMemory<byte> json, IReadOnlyList<string> fields, DataKey key, in FieldContext context)
    {
        var source = json.Span;
        var values = FindFields(source, fields, context);
        if (values is null)
        {
            return null;
        }

        var output = new ArrayBufferWriter<byte>(source.Length + (96 * values.Count));
        var copied = 0;
        var done = new string[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            var (name, start, end, kind) = values[i];
            output.Write(source[copied..start]);
            WriteEnvelope(output, source[start..end], kind, key, name, context);
            copied = end;
            done[i] = name;
        }

        output.Write(source[copied..]);
        return (output.WrittenSpan.ToArray(), string.Join(',', done));
    }

    // The byte ranges of the values of the wanted top-level fields, in payload order; null when none is present.
    // The whole payload is read, so a payload that is not one well-formed JSON object is refused before anything is sealed.
    private static List<(string Name, int Start, int End, char Kind)>? FindFields(ReadOnlySpan<byte> source, IReadOnlyList<string> fields, in FieldContext context)
    {
        List<(string, int, int, char)>? found = null;
        try
        {
            var reader = new Utf8JsonReader(source, ReaderOptions);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = Wanted(ref reader, fields);
                    reader.Read();
                    var start = (int)reader.TokenStartIndex;
                    var kind = Kind(reader.TokenType);
                    reader.Skip();
                    if (name is not null)
                    {
                        (found ??= []).Add((name, start, (int)reader.BytesConsumed, kind));
                    }
                }

                if (reader.TokenType == JsonTokenType.EndObject && !reader.Read())
                {
                    return found;
                }
            }
        }
        catch (JsonException)
        {
            // Reported below without the reader's message, which may quote the payload.
        }

        throw new EventEncryptionException(context.StreamId, context.EventId, "personal fields can only be encrypted in a JSON object payload.");
    }

    private static string? Wanted(ref Utf8JsonReader reader, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (reader.ValueTextEquals(fields[i]))
            {
                return fields[i];
            }
        }

        return null;
    }

    private static void WriteEnvelope(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> plain, char kind, DataKey key, string name, in FieldContext context)
    {
        var sealedLength = plain.Length + AesGcmBox.Overhead;
        var max = context.MaxLength(name.Length);
        var rented = ArrayPool<byte>.Shared.Rent(sealedLength + max);
        try
        {
            var sealedBox = rented.AsSpan(0, sealedLength);
            var associatedData = rented.AsSpan(sealedLength, max);
            associatedData = associatedData[..context.Write(associatedData, name, key.Version)];
            key.Seal(plain, associatedData, sealedBox);
            Write(output, "{\"$eventuali\":\"enc1\",\"k\":"u8);
            var digits = output.GetSpan(11);
            key.Version.TryFormat(digits, out var n, default, System.Globalization.CultureInfo.InvariantCulture);
            output.Advance(n);
            Write(output, ",\"t\":\""u8);
            Write(output, [(byte)kind]);
            Write(output, "\",\"c\":\""u8);
            var base64 = output.GetSpan(Base64.GetMaxEncodedToUtf8Length(sealedLength));
            Base64.EncodeToUtf8(sealedBox, base64, out _, out var written);
            output.Advance(written);
            Write(output, "\"}"u8);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void Write(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> bytes) => output.Write(bytes);

    private static char Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.String => 's',
        JsonTokenType.Number => 'n',
        JsonTokenType.True or JsonTokenType.False => 'b',
        JsonTokenType.StartObject => 'o',
        JsonTokenType.StartArray => 'a',
        _ => 'z',
    };
}
