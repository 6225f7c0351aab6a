using System.Globalization;
using Eventuali.Diagnostics;

namespace Eventuali.Messaging;

/// <summary>The header names a relayed event carries, the same on every broker.</summary>
public static class MessageHeaders
{
    /// <summary>The stored event type name.</summary>
    public const string EventType = "eventuali-type";

    /// <summary>The payload's content type (application/json, application/x-protobuf; schema=...).</summary>
    public const string ContentType = "content-type";

    /// <summary>The stream the event belongs to (the ordering key).</summary>
    public const string StreamId = "eventuali-stream-id";

    /// <summary>The event's version in its stream.</summary>
    public const string StreamVersion = "eventuali-stream-version";

    /// <summary>The event's global-log position in the source store.</summary>
    public const string Position = "eventuali-position";

    /// <summary>The writer's W3C trace context, as stored at append.</summary>
    public const string TraceParent = EventualiDiagnostics.TraceParentHeader;
}

/// <summary>
/// One message for a broker. <see cref="MessageId"/> is the event id, so brokers and consumers can deduplicate;
/// <see cref="Key"/> is the stream id, the ordering key; <see cref="Topic"/> is the destination within the broker
/// (a subject, routing key or stream, by adapter).
/// </summary>
/// <param name="MessageId">The event id, in its 36-character form.</param>
/// <param name="Topic">The destination (by default the stream's category).</param>
/// <param name="Key">The ordering key: the stream id.</param>
/// <param name="Body">The event payload, unchanged.</param>
/// <param name="Headers">See <see cref="MessageHeaders"/>.</param>
public sealed record OutboundMessage(string MessageId, string Topic, string Key, ReadOnlyMemory<byte> Body, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The message for <paramref name="recorded"/>, sent to <paramref name="topic"/>.</summary>
    public static OutboundMessage From(RecordedEvent recorded, string topic)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentException.ThrowIfNullOrEmpty(topic);
        var headers = new Dictionary<string, string>(6, StringComparer.Ordinal)
        {
            [MessageHeaders.EventType] = recorded.EventType,
            [MessageHeaders.ContentType] = recorded.ContentType,
            [MessageHeaders.StreamId] = recorded.StreamId,
            [MessageHeaders.StreamVersion] = recorded.StreamVersion.ToString(CultureInfo.InvariantCulture),
            [MessageHeaders.Position] = recorded.Position.ToString(CultureInfo.InvariantCulture),
        };
        if (recorded.Metadata.Headers is { } stored && stored.TryGetValue(EventualiDiagnostics.TraceParentHeader, out var traceParent))
        {
            headers[MessageHeaders.TraceParent] = traceParent;
        }

        return new OutboundMessage(recorded.EventId.ToString("D"), topic, recorded.StreamId, recorded.Data, headers);
    }
}

/// <summary>A message received from a broker, before it is handled.</summary>
/// <param name="MessageId">The broker-level message id (for relayed events, the event id).</param>
/// <param name="Topic">Where it was received from.</param>
/// <param name="Body">The payload.</param>
/// <param name="Headers">The message headers (see <see cref="MessageHeaders"/>).</param>
public sealed record InboundMessage(string MessageId, string Topic, ReadOnlyMemory<byte> Body, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// A message that can never be handled (bad payload, unknown type, missing header): it is dead-lettered with
/// <see cref="Exception.Message"/> as the reason instead of being redelivered for ever.
/// </summary>
public sealed class PoisonMessageException : Exception
{
    /// <summary>Creates the exception with the reason.</summary>
    public PoisonMessageException(string reason)
        : base(reason)
    {
    }

    /// <summary>Creates the exception with the reason and the error that showed it.</summary>
    public PoisonMessageException(string reason, Exception innerException)
        : base(reason, innerException)
    {
    }
}
