using System.Text;

namespace Eventuali.Sqlite;

/// <summary>
/// Turns the current row of a read statement into a <see cref="RecordedEvent"/>, reusing strings
/// that repeat (stream names by stream row id, event types, content types) so a read allocates
/// little beyond the event and its payload.
/// </summary>
internal sealed class RowMaterializer
{
    private const int MaxInterned = 256;

    private readonly StreamNameCache _streamNames;
    private readonly Dictionary<int, (byte[] Utf8, string Value)> _interned = [];

    public RowMaterializer(StreamNameCache streamNames) => _streamNames = streamNames;

    public RecordedEvent Read(RawStatement row, ReadSession session)
    {
        var streamRowId = row.GetInt64(EventRow.StreamId);
        var streamName = _streamNames.Get(streamRowId, session);
        var eventType = Intern(row.GetBytes(EventRow.EventType));
        var contentType = row.IsNull(EventRow.ContentType) ? ContentTypes.Json : Intern(row.GetBytes(EventRow.ContentType));
        var data = row.GetBytes(EventRow.Data).ToArray();
        var metadata = ReadMetadata(row);
        return new RecordedEvent(
            streamName,
            row.GetInt64(EventRow.Version),
            row.GetInt64(EventRow.Position),
            new Guid(row.GetBytes(EventRow.EventId), bigEndian: true),
            eventType,
            data,
            metadata,
            EventRow.FromUnixMicroseconds(row.GetInt64(EventRow.Timestamp)),
            contentType);
    }

    private static EventMetadata ReadMetadata(RawStatement row)
    {
        var correlation = row.GetString(EventRow.CorrelationId);
        var causation = row.GetString(EventRow.CausationId);
        var actor = row.GetString(EventRow.ActorId);
        var hasHeaders = !row.IsNull(EventRow.Headers);
        if (correlation is null && causation is null && actor is null && !hasHeaders)
        {
            return EventMetadata.Empty;
        }

        return new EventMetadata(correlation, causation, actor, hasHeaders ? EventRow.ReadHeaders(row.GetBytes(EventRow.Headers)) : null);
    }

    private string Intern(ReadOnlySpan<byte> utf8)
    {
        var hash = new HashCode();
        hash.AddBytes(utf8);
        var key = hash.ToHashCode();
        if (_interned.TryGetValue(key, out var entry) && utf8.SequenceEqual(entry.Utf8))
        {
            return entry.Value;
        }

        var text = Encoding.UTF8.GetString(utf8);
        if (_interned.Count < MaxInterned)
        {
            _interned.TryAdd(key, (utf8.ToArray(), text));
        }

        return text;
    }
}
