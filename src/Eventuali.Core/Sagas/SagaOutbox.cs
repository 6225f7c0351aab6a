using System.Text.Json;
using System.Text.Json.Serialization;

namespace Eventuali.Sagas;

/// <summary>
/// Appends a saga decided, saved with its state before they are written, so a crash between deciding and
/// writing replays the same appends (same event ids) instead of deciding again.
/// </summary>
/// <param name="SourceId">The event or timeout whose decision this is.</param>
/// <param name="TimeoutKey">When a timeout decided it: the timeout's key, removed once the appends are written (so a crash fires it again).</param>
/// <param name="Depth">How many failure handlers led here (0: a first decision).</param>
/// <param name="Complete">Whether the decision completes the instance; it is marked completed once the appends are written.</param>
/// <param name="Appends">The appends, in order.</param>
internal sealed record SagaOutbox(Guid SourceId, string? TimeoutKey, int Depth, bool Complete, SagaOutbox.Append[] Appends)
{
    public string ToJson() => JsonSerializer.Serialize(this, OutboxJson.Default.SagaOutbox);

    public static SagaOutbox? FromJson(string? json)
        => json is null ? null : JsonSerializer.Deserialize(json, OutboxJson.Default.SagaOutbox)
            ?? throw new JsonException("The saga outbox is JSON null.");

    internal sealed record Append(string StreamId, long ExpectedVersion, Event[] Events)
    {
        public ExpectedVersion Expected => ExpectedVersion switch
        {
            -1 => Eventuali.ExpectedVersion.Any,
            -2 => Eventuali.ExpectedVersion.StreamExists,
            _ => Eventuali.ExpectedVersion.Exact(ExpectedVersion),
        };
    }

    internal sealed record Event(Guid Id, string Type, string ContentType, byte[] Data, string? CorrelationId, string? CausationId, string? ActorId, Dictionary<string, string>? Headers)
    {
        public static Event From(EventData e) => new(
            e.EventId, e.EventType, e.ContentType, e.Data.ToArray(), e.Metadata.CorrelationId, e.Metadata.CausationId, e.Metadata.ActorId,
            e.Metadata.Headers is null ? null : new Dictionary<string, string>(e.Metadata.Headers, StringComparer.Ordinal));

        public EventData ToEventData() => new(Id, Type, Data, new EventMetadata(CorrelationId, CausationId, ActorId, Headers), ContentType);
    }
}

[JsonSerializable(typeof(SagaOutbox))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class OutboxJson : JsonSerializerContext;
