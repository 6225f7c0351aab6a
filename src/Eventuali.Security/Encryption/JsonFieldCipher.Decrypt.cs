using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Eventuali.Security.DataKeys;
using Eventuali.Security.Keys;

namespace Eventuali.Security.Encryption;

/// <summary>Opening the envelopes of a stored JSON payload (see the other part for the format).</summary>
internal static partial class JsonFieldCipher
{
    private static readonly byte[] RedactedString = Encoding.UTF8.GetBytes("\"" + EncryptionHeaders.RedactionMarker + "\"");
    private static readonly byte[] JsonNull = "null"u8.ToArray();

    /// <summary>
    /// The object with its envelopes opened; each envelope <paramref name="lookup"/> cannot open (erased key) becomes the
    /// redaction marker and is listed in <paramref name="redacted"/>. A payload with no envelope is returned as it is.
    /// </summary>
    public static ReadOnlyMemory<byte> Decrypt(ReadOnlyMemory<byte> json, KeyLookup lookup, int version, in FieldContext context, List<string> redacted)
    {
        var source = json.Span;
        List<Envelope> envelopes;
        try
        {
            envelopes = FindEnvelopes(source);
        }
        catch (JsonException e)
        {
            throw context.Fail(lookup.Key, version, "the payload is not the JSON object it was stored as.", e);
        }

        if (envelopes.Count == 0)
        {
            return json;
        }

        var values = new byte[envelopes.Count][];
        var length = source.Length;
        for (var i = 0; i < envelopes.Count; i++)
        {
            values[i] = Open(source, envelopes[i], lookup, context, redacted);
            length += values[i].Length - (envelopes[i].End - envelopes[i].Start);
        }

        var output = new byte[length];
        var (from, to) = (0, 0);
        for (var i = 0; i < envelopes.Count; i++)
        {
            var gap = source[from..envelopes[i].Start];
            gap.CopyTo(output.AsSpan(to));
            to += gap.Length;
            values[i].CopyTo(output, to);
            to += values[i].Length;
            from = envelopes[i].End;
        }

        source[from..].CopyTo(output.AsSpan(to));
        return output;
    }

    private static byte[] Open(ReadOnlySpan<byte> source, in Envelope envelope, KeyLookup lookup, in FieldContext context, List<string> redacted)
    {
        if (lookup.Key is null || lookup.Key.Version != envelope.Version)
        {
            if (lookup.ErasedAt is not null && lookup.Key is null)
            {
                redacted.Add(envelope.Name);
                return envelope.Kind == 's' ? RedactedString : JsonNull;
            }

            throw context.Fail(lookup.Key, envelope.Version, $"field '{envelope.Name}' names data key version {envelope.Version}, which is not in the store.");
        }

        var key = lookup.Key;
        byte[] sealedBox;
        if (envelope.Decoded is { } decoded)
        {
            sealedBox = decoded;
        }
        else if (envelope.CipherStart < 0)
        {
            throw context.Fail(key, envelope.Version, $"field '{envelope.Name}' holds a malformed ciphertext.");
        }
        else
        {
            var base64 = source[envelope.CipherStart..envelope.CipherEnd];
            sealedBox = new byte[Base64.GetMaxDecodedFromUtf8Length(base64.Length)];
            if (Base64.DecodeFromUtf8(base64, sealedBox, out _, out var written) != System.Buffers.OperationStatus.Done)
            {
                throw context.Fail(key, envelope.Version, $"field '{envelope.Name}' holds a malformed ciphertext.");
            }

            sealedBox = written == sealedBox.Length ? sealedBox : sealedBox[..written];
        }

        if (sealedBox.Length < AesGcmBox.Overhead)
        {
            throw context.Fail(key, envelope.Version, $"field '{envelope.Name}' holds a truncated ciphertext.");
        }

        var plain = new byte[sealedBox.Length - AesGcmBox.Overhead];
        if (!key.TryOpen(sealedBox, context.For(envelope.Name, envelope.Version), plain))
        {
            throw context.Fail(key, envelope.Version, $"field '{envelope.Name}' does not authenticate: it was altered, truncated, or copied from another event, field or store.");
        }

        return IsOneJsonValue(plain) ? plain : throw context.Fail(key, envelope.Version, $"field '{envelope.Name}' decrypted to invalid JSON.");
    }

    private static bool IsOneJsonValue(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // The envelopes among the top-level fields, in payload order, with the byte range each value covers.
    private static List<Envelope> FindEnvelopes(ReadOnlySpan<byte> source)
    {
        var found = new List<Envelope>(2);
        var reader = new Utf8JsonReader(source, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("not an object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            var envelope = new Envelope { Name = name, Start = (int)reader.TokenStartIndex, CipherStart = -1 };
            var isEnvelope = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var member = reader.ValueSpan.Length == 1 && !reader.ValueIsEscaped ? (char)reader.ValueSpan[0] : '\0';
                var marker = member == '\0' && reader.ValueTextEquals(Marker);
                reader.Read();
                if (marker)
                {
                    isEnvelope = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(Version1);
                }
                else if (member == 'k' && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var k))
                {
                    envelope.Version = k;
                }
                else if (member == 't' && reader.TokenType == JsonTokenType.String)
                {
                    envelope.Kind = reader.ValueSpan.Length == 1 && !reader.ValueIsEscaped ? (char)reader.ValueSpan[0] : '?';
                }
                else if (member == 'c' && reader.TokenType == JsonTokenType.String)
                {
                    if (reader.ValueIsEscaped)
                    {
                        envelope.Decoded = reader.TryGetBytesFromBase64(out var bytes) ? bytes : null;
                    }
                    else
                    {
                        envelope.CipherStart = (int)reader.TokenStartIndex + 1;
                        envelope.CipherEnd = envelope.CipherStart + reader.ValueSpan.Length;
                    }
                }

                reader.Skip();
            }

            if (isEnvelope)
            {
                envelope.End = (int)reader.BytesConsumed;
                found.Add(envelope);
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new JsonException("not one object");
        }

        return found;
    }

    private struct Envelope
    {
        public string Name;
        public int Start;
        public int End;
        public int Version;
        public char Kind;
        public int CipherStart;
        public int CipherEnd;
        public byte[]? Decoded;
    }
}
