using System.Globalization;
using System.Text.Json;

namespace Eventuali.Tools.Analytics;

/// <summary>
/// Per-stream features for models and reports, updated one event at a time: how many events, when the first and last
/// came, how many distinct event types, and count/sum/min/max of a numeric payload property (e.g. <c>amount</c>).
/// Recency is derived at read time (<see cref="RecencySeconds"/>), so stored features never go stale.
/// </summary>
/// <param name="StreamId">The stream.</param>
/// <param name="Events">Events seen.</param>
/// <param name="FirstAt">The first event's time.</param>
/// <param name="LastAt">The last event's time.</param>
/// <param name="LastVersion">The last stream version seen (a replayed event at or below it is not counted twice).</param>
/// <param name="EventTypes">The distinct event types seen, ordinal order.</param>
/// <param name="Amounts">Events carrying the numeric property.</param>
/// <param name="AmountSum">Their sum.</param>
/// <param name="AmountMin">The smallest (null without any).</param>
/// <param name="AmountMax">The largest (null without any).</param>
public sealed record StreamFeatures(
    string StreamId,
    long Events,
    DateTimeOffset FirstAt,
    DateTimeOffset LastAt,
    long LastVersion,
    IReadOnlyList<string> EventTypes,
    long Amounts,
    double AmountSum,
    double? AmountMin,
    double? AmountMax)
{
    /// <summary>The column names of <see cref="ToCsv"/>.</summary>
    public const string CsvHeader = "stream_id,events,first_at,last_at,recency_seconds,event_types,amounts,amount_sum,amount_min,amount_max,amount_mean";

    /// <summary>The features of a stream after its first event.</summary>
    public static StreamFeatures Start(RecordedEvent recorded, string amountProperty)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        return new StreamFeatures(recorded.StreamId, 0, recorded.Timestamp, recorded.Timestamp, 0, [], 0, 0, null, null).Apply(recorded, amountProperty);
    }

    /// <summary>The features after <paramref name="recorded"/>; an event at or below <see cref="LastVersion"/> changes nothing.</summary>
    public StreamFeatures Apply(RecordedEvent recorded, string amountProperty)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentException.ThrowIfNullOrEmpty(amountProperty);
        if (recorded.StreamVersion <= LastVersion)
        {
            return this;
        }

        var types = EventTypes;
        if (!types.Contains(recorded.EventType, StringComparer.Ordinal))
        {
            types = [.. types.Append(recorded.EventType).Order(StringComparer.Ordinal)];
        }

        var next = this with
        {
            Events = Events + 1,
            FirstAt = Events == 0 ? recorded.Timestamp : FirstAt,
            LastAt = recorded.Timestamp,
            LastVersion = recorded.StreamVersion,
            EventTypes = types,
        };
        return Amount(recorded, amountProperty) is { } amount
            ? next with
            {
                Amounts = Amounts + 1,
                AmountSum = AmountSum + amount,
                AmountMin = Math.Min(AmountMin ?? amount, amount),
                AmountMax = Math.Max(AmountMax ?? amount, amount),
            }
            : next;
    }

    /// <summary>Seconds from the last event to <paramref name="now"/>.</summary>
    public double RecencySeconds(DateTimeOffset now) => (now - LastAt).TotalSeconds;

    /// <summary>One CSV row (see <see cref="CsvHeader"/>), recency measured at <paramref name="now"/>.</summary>
    public string ToCsv(DateTimeOffset now)
        => string.Join(',',
            Quote(StreamId),
            Events.ToString(CultureInfo.InvariantCulture),
            FirstAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            LastAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            RecencySeconds(now).ToString("R", CultureInfo.InvariantCulture),
            EventTypes.Count.ToString(CultureInfo.InvariantCulture),
            Amounts.ToString(CultureInfo.InvariantCulture),
            AmountSum.ToString("R", CultureInfo.InvariantCulture),
            AmountMin?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty,
            AmountMax?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty,
            Amounts == 0 ? string.Empty : (AmountSum / Amounts).ToString("R", CultureInfo.InvariantCulture));

    /// <summary>The features as JSON (the document a <see cref="StreamFeaturesProjection"/> stores).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ToolsJson.Default.StreamFeatures);

    /// <summary>Features from <see cref="ToJson"/>.</summary>
    public static StreamFeatures FromJson(string json)
        => JsonSerializer.Deserialize(json, ToolsJson.Default.StreamFeatures) ?? throw new JsonException("A stream-features document is null.");

    private static double? Amount(RecordedEvent recorded, string property)
    {
        if (!recorded.ContentType.StartsWith(ContentTypes.Json, StringComparison.OrdinalIgnoreCase) || recorded.Data.IsEmpty)
        {
            return null;
        }

        var reader = new Utf8JsonReader(recorded.Data.Span);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = reader.ValueTextEquals(property);
                reader.Read();
                if (match)
                {
                    return reader.TokenType == JsonTokenType.Number ? reader.GetDouble() : null;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // A payload that is not JSON after all carries no amount.
        }

        return null;
    }

    private static string Quote(string value)
        => value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
