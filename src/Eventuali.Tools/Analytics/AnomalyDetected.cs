using System.Globalization;
using System.Text.Json;

namespace Eventuali.Tools.Analytics;

/// <summary>An anomalous rate: the key, the window it was seen in and how far it was from the expected rate.</summary>
/// <typeparam name="TKey">What rates are computed per.</typeparam>
/// <param name="Key">The key (e.g. the category).</param>
/// <param name="WindowStart">The window's start.</param>
/// <param name="WindowEnd">The window's end (exclusive).</param>
/// <param name="Score">The observed count, the expected one and the z-score.</param>
public sealed record AnomalyDetected<TKey>(TKey Key, DateTimeOffset WindowStart, DateTimeOffset WindowEnd, EwmaScore Score)
    where TKey : notnull
{
    /// <summary>The stored event type of <see cref="ToEventData"/>.</summary>
    public const string EventType = "eventuali.anomaly-detected";

    /// <summary>The anomaly as an event to append (JSON: key, window, value, expected, stddev, z).</summary>
    public EventData ToEventData(EventMetadata? metadata = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("key", Convert.ToString(Key, CultureInfo.InvariantCulture));
            json.WriteString("windowStart", WindowStart);
            json.WriteString("windowEnd", WindowEnd);
            json.WriteNumber("value", Score.Value);
            json.WriteNumber("expected", Score.Expected);
            json.WriteNumber("standardDeviation", Score.StandardDeviation);
            json.WriteNumber("zScore", Score.ZScore);
            json.WriteEndObject();
        }

        return new EventData(EventData.NewEventId(), EventType, buffer.ToArray(), metadata ?? EventMetadata.Empty, ContentTypes.Json);
    }

    /// <summary>A one-line description for logs.</summary>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{Key}: {Score.Value} in [{WindowStart:O}, {WindowEnd:O}), expected {Score.Expected:F2} ± {Score.StandardDeviation:F2} (z = {Score.ZScore:F2})");
}
