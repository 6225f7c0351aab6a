using System.Buffers;
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
    /// redaction marker and is listed in <paramref name="redacted"/> (made when needed). A payload with no envelope is
    /// returned as it is. Each field is decrypted straight into the one output array, with its sealed bytes decoded
    /// into a pooled buffer and its associated data built on the stack: one allocation per event, not one per step.
    /// </summary>
    public static ReadOnlyMemory<byte> Decrypt(ReadOnlyMemory<byte> json, KeyLookup lookup, int version, in FieldContext context, ref List<string>? redacted)
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

        var decodedSize = 0;
        foreach (var envelope in envelopes)
        {
            decodedSize += envelope.CipherStart < 0 ? 0 : Base64.GetMaxDecodedFromUtf8Length(envelope.CipherEnd - envelope.CipherStart);
        }

        var boxes = ArrayPool<byte>.Shared.Rent(Math.Max(decodedSize, 1));
        try
        {
            // First every check that needs no key operation, in payload order, then one output array of the exact size.
            var length = source.Length;
            var decodedAt = 0;
            for (var i = 0; i < envelopes.Count; i++)
            {
                var envelope = envelopes[i];
                Prepare(source, ref envelope, lookup, context, ref redacted, boxes, ref decodedAt);
                envelopes[i] = envelope;
                length += envelope.ValueLength - (envelope.End - envelope.Start);
            }

            var output = new byte[length];
            var (from, to) = (0, 0);
            foreach (var envelope in envelopes)
            {
                var gap = source[from..envelope.Start];
                gap.CopyTo(output.AsSpan(to));
                to += gap.Length;
                Open(envelope, lookup.Key, context, boxes, output.AsSpan(to, envelope.ValueLength));
                to += envelope.ValueLength;
                from = envelope.End;
            }

            source[from..].CopyTo(output.AsSpan(to));
            return output;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(boxes, clearArray: false);
        }
    }

    // Decodes the sealed box (ciphertext only: nothing secret) into the shared buffer, or chooses the redaction marker.
    private static void Prepare(ReadOnlySpan<byte> source, ref Envelope envelope, KeyLookup lookup, in FieldContext context, ref List<string>? redacted, byte[] boxes, ref int decodedAt)
    {
        if (lookup.Key is null || lookup.Key.Version != envelope.Version)
        {
            if (lookup.ErasedAt is not null && lookup.Key is null)
            {
                (redacted ??= []).Add(envelope.Name);
                envelope.Replacement = envelope.Kind == 's' ? RedactedString : JsonNull;
                envelope.ValueLength = envelope.Replacement.Length;
                return;
            }

            throw context.Fail(lookup.Key, envelope.Version, $"field '{envelope.Name}' names data key version {envelope.Version}, which is not in the store.");
        }

        var key = lookup.Key;
        int boxLength;
        if (envelope.Decoded is { } decoded)
        {
            envelope.BoxStart = -1;
            boxLength = decoded.Length;
        }
        else if (envelope.CipherStart < 0)
        {
            throw context.Fail(key, envelope.Version, $"field '{envelope.Name}' holds a malformed ciphertext.");
        }
        else
        {
            var base64 = source[envelope.CipherStart..envelope.CipherEnd];
            if (Base64.DecodeFromUtf8(base64, boxes.AsSpan(decodedAt), out _, out boxLength) != System.Buffers.OperationStatus.Done)
            {
                throw context.Fail(key, envelope.Version, $"field '{envelope.Name}' holds a malformed ciphertext.");
            }

            envelope.BoxStart = decodedAt;
            decodedAt += boxLength;
        }

        if (boxLength < AesGcmBox.Overhead)
        {
            throw context.Fail(key, envelope.Version, $"field '{envelope.Name}' holds a truncated ciphertext.");
        }

        envelope.BoxLength = boxLength;
        envelope.ValueLength = boxLength - AesGcmBox.Overhead;
    }

    private static void Open(in Envelope envelope, DataKey? key, in FieldContext context, byte[] boxes, Span<byte> plain)
    {
        if (envelope.Replacement is { } replacement)
        {
            replacement.CopyTo(plain);
            return;
        }

        ReadOnlySpan<byte> sealedBox = envelope.BoxStart < 0 ? envelope.Decoded : boxes.AsSpan(envelope.BoxStart, envelope.BoxLength);
        var max = context.MaxLength(envelope.Name.Length);
        var rented = max > FieldContext.StackLimit ? ArrayPool<byte>.Shared.Rent(max) : null;
        var associated = rented ?? stackalloc byte[FieldContext.StackLimit];
        try
        {
            associated = associated[..context.Write(associated, envelope.Name, envelope.Version)];
            if (!key!.TryOpen(sealedBox, associated, plain))
            {
                throw context.Fail(key, envelope.Version, $"field '{envelope.Name}' does not authenticate: it was altered, truncated, or copied from another event, field or store.");
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        if (!IsOneJsonValue(plain))
        {
            throw context.Fail(key, envelope.Version, $"field '{envelope.Name}' decrypted to invalid JSON.");
        }
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
            // The name is made into a string only for an envelope (one per encrypted field), not for every property.
            var (nameStart, nameLength, nameEscaped) = ((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, reader.ValueIsEscaped);
            var escapedName = nameEscaped ? reader.GetString() : null;
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            var envelope = new Envelope { Start = (int)reader.TokenStartIndex, CipherStart = -1 };
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
                envelope.Name = escapedName ?? Encoding.UTF8.GetString(source.Slice(nameStart, nameLength));
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
        public byte[]? Replacement;
        public int BoxStart;
        public int BoxLength;
        public int ValueLength;
    }
}
