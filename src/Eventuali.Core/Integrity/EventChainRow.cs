namespace Eventuali.Integrity;

/// <summary>
/// One position of the stored log as the canonical chain encoding needs it (docs/tamper-evident-log.md): the event's
/// columns as stored (text as UTF-8, as the backend keeps it) when <see cref="HasEvent"/>, and the chain entry
/// when <see cref="HasEntry"/>. Spans point into the backend's row buffers and live only as long as the call.
/// </summary>
public readonly ref struct EventChainRow
{
    /// <summary>The global position.</summary>
    public long Position { get; init; }

    /// <summary>True when an event (live or archived) is stored at the position.</summary>
    public bool HasEvent { get; init; }

    /// <summary>The stream id (UTF-8).</summary>
    public ReadOnlySpan<byte> StreamId { get; init; }

    /// <summary>The event's version in its stream.</summary>
    public long StreamVersion { get; init; }

    /// <summary>The event id: 16 bytes in RFC 4122 (big-endian) order.</summary>
    public ReadOnlySpan<byte> EventId { get; init; }

    /// <summary>The event type (UTF-8).</summary>
    public ReadOnlySpan<byte> EventType { get; init; }

    /// <summary>The content type as a reader sees it (UTF-8; a backend that stores JSON's as NULL gives its name).</summary>
    public ReadOnlySpan<byte> ContentType { get; init; }

    /// <summary>The payload bytes as stored.</summary>
    public ReadOnlySpan<byte> Data { get; init; }

    /// <summary>True when a correlation id is stored (it may be empty).</summary>
    public bool HasCorrelationId { get; init; }

    /// <summary>The correlation id (UTF-8).</summary>
    public ReadOnlySpan<byte> CorrelationId { get; init; }

    /// <summary>True when a causation id is stored (it may be empty).</summary>
    public bool HasCausationId { get; init; }

    /// <summary>The causation id (UTF-8).</summary>
    public ReadOnlySpan<byte> CausationId { get; init; }

    /// <summary>True when an actor id is stored (it may be empty).</summary>
    public bool HasActorId { get; init; }

    /// <summary>The actor id (UTF-8).</summary>
    public ReadOnlySpan<byte> ActorId { get; init; }

    /// <summary>The headers as the backend's ordinary read decodes them; null when none are stored.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>The timestamp: microseconds since the Unix epoch (UTC).</summary>
    public long TimestampMicroseconds { get; init; }

    /// <summary>True when a chain entry is stored at the position.</summary>
    public bool HasEntry { get; init; }

    /// <summary>The entry's chain hash (<see cref="EventChainEntry.HashLength"/> bytes).</summary>
    public ReadOnlySpan<byte> EntryHash { get; init; }

    /// <summary>True when the entry records a removal by a stream lifecycle operation.</summary>
    public bool EntryRemoved { get; init; }
}
