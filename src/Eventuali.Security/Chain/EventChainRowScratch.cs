using System.Text;
using Eventuali.Integrity;

namespace Eventuali.Security.Chain;

/// <summary>
/// Turns a <see cref="RecordedEvent"/> (the ordinary read's event) into the <see cref="EventChainRow"/> the encoding
/// is written from: its text fields as UTF-8 in one reused buffer. One instance per thread (not thread-safe).
/// </summary>
internal sealed class EventChainRowScratch
{
    private byte[] _utf8 = new byte[1024];

    /// <summary>The event's row; its spans are valid until the next call.</summary>
    public EventChainRow From(RecordedEvent recorded, EventChainEntry? entry = null)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var metadata = recorded.Metadata ?? EventMetadata.Empty;
        var max = Max(recorded.StreamId) + Max(recorded.EventType) + Max(recorded.ContentType)
            + Max(metadata.CorrelationId) + Max(metadata.CausationId) + Max(metadata.ActorId) + 16;
        if (_utf8.Length < max)
        {
            _utf8 = new byte[Math.Max(max, _utf8.Length * 2)];
        }

        var at = 0;
        var stream = Put(recorded.StreamId, ref at);
        var type = Put(recorded.EventType, ref at);
        var content = Put(recorded.ContentType, ref at);
        var correlation = Put(metadata.CorrelationId, ref at);
        var causation = Put(metadata.CausationId, ref at);
        var actor = Put(metadata.ActorId, ref at);
        Span<byte> id = stackalloc byte[16];
        recorded.EventId.TryWriteBytes(id, bigEndian: true, out _);
        var idAt = at;
        id.CopyTo(_utf8.AsSpan(idAt));
        return new EventChainRow
        {
            Position = recorded.Position,
            HasEvent = true,
            StreamId = Span(stream),
            StreamVersion = recorded.StreamVersion,
            EventId = _utf8.AsSpan(idAt, 16),
            EventType = Span(type),
            ContentType = Span(content),
            Data = recorded.Data.Span,
            HasCorrelationId = metadata.CorrelationId is not null,
            CorrelationId = Span(correlation),
            HasCausationId = metadata.CausationId is not null,
            CausationId = Span(causation),
            HasActorId = metadata.ActorId is not null,
            ActorId = Span(actor),
            Headers = metadata.Headers,
            TimestampMicroseconds = EventChainEncoding.UnixMicroseconds(recorded.Timestamp),
            HasEntry = entry is not null,
            EntryHash = entry is null ? default : entry.ChainHash.Span,
            EntryRemoved = entry?.Removed ?? false,
        };
    }

    private static int Max(string? s) => s is null ? 0 : Encoding.UTF8.GetMaxByteCount(s.Length);

    private (int Start, int Length) Put(string? value, ref int at)
    {
        if (value is null)
        {
            return (at, 0);
        }

        var written = Encoding.UTF8.GetBytes(value, _utf8.AsSpan(at));
        var start = at;
        at += written;
        return (start, written);
    }

    private ReadOnlySpan<byte> Span((int Start, int Length) range) => _utf8.AsSpan(range.Start, range.Length);
}
