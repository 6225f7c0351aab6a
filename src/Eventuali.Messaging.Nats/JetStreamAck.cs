using System.Text.Json;

namespace Eventuali.Messaging.Nats;

/// <summary>
/// A JetStream publish acknowledgement (<c>{"stream":"s","seq":5,"duplicate":true}</c>, or <c>{"error":{...}}</c>), read
/// with a forward-only scan: one per published event, so a stored one allocates nothing (no document, no strings).
/// </summary>
/// <param name="Sequence">The stream sequence the message was stored at (0 when none was given).</param>
/// <param name="Duplicate">JetStream already held a message with this <c>Nats-Msg-Id</c> within its window.</param>
/// <param name="Failure">Null when stored (a duplicate counts as stored: a batch sent again); else why not.</param>
internal readonly record struct JetStreamAck(long Sequence, bool Duplicate, string? Failure)
{
    public static JetStreamAck Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return new(0, false, "an acknowledgement that is not a JSON object");
            }

            long sequence = 0;
            var hasSequence = false;
            var duplicate = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    return new(0, false, Error(ref reader));
                }

                if (reader.ValueTextEquals("seq"u8))
                {
                    reader.Read();
                    hasSequence = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out sequence);
                }
                else if (reader.ValueTextEquals("duplicate"u8))
                {
                    reader.Read();
                    duplicate = reader.TokenType == JsonTokenType.True;
                }
                else
                {
                    reader.Read();
                    reader.Skip(); // a value this scan does not need ("stream", "domain", ...), nested or not
                }
            }

            return hasSequence ? new(sequence, duplicate, null) : new(0, duplicate, "an acknowledgement without a sequence");
        }
        catch (JsonException)
        {
            return new(0, false, "an acknowledgement that is not JSON");
        }
    }

    /// <summary>The error object's description and JetStream error code (its HTTP-like code when it has none); only failures allocate.</summary>
    private static string Error(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return "an acknowledgement with an error that is not an object";
        }

        int code = 0, errCode = 0;
        string? description = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("err_code"u8))
            {
                reader.Read();
                _ = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out errCode);
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                _ = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out code);
            }
            else if (reader.ValueTextEquals("description"u8))
            {
                reader.Read();
                description = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return $"{description ?? "JetStream refused the message"} (error {(errCode != 0 ? errCode : code)})";
    }
}
