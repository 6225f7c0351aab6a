namespace Eventuali.Sqlite;

/// <summary>
/// Turns the current row of a read statement into a <see cref="RecordedEvent"/>, reusing strings
/// that repeat (stream names by stream row id, event types, content types) so a read allocates
/// little beyond the event and its payload.
/// </summary>
internal sealed class RowMaterializer
{
    private readonly StreamNameCache _streamNames;
    private readonly Utf8Interner _eventTypes = new();
    private readonly Utf8Interner _contentTypes = new();

    // Consecutive rows mostly share a stream and a type: remember the last of each.
    private long _lastStreamRowId = -1;
    private string _lastStreamName = string.Empty;

    public RowMaterializer(StreamNameCache streamNames) => _streamNames = streamNames;

    public RecordedEvent Read(RawStatement row, ReadSession session)
    {
        var streamRowId = row.GetInt64(EventRow.StreamId);
        if (streamRowId != _lastStreamRowId)
        {
            _lastStreamName = _streamNames.Get(streamRowId, session);
            _lastStreamRowId = streamRowId;
        }

        var streamName = _lastStreamName;
        var eventType = _eventTypes.Get(row.GetBytes(EventRow.EventType));
        var contentTypeBytes = row.GetBytes(EventRow.ContentType);
        var contentType = contentTypeBytes.IsEmpty ? ContentTypes.Json : _contentTypes.Get(contentTypeBytes);
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

    // Events of one append usually share their metadata: reuse the last instance while the raw
    // column values repeat (a null marker per column keeps NULL and '' apart).
    private readonly List<byte> _lastMetadataKey = [];
    private readonly List<byte> _metadataKey = [];
    private EventMetadata _lastMetadata = EventMetadata.Empty;

    private EventMetadata ReadMetadata(RawStatement row)
    {
        _metadataKey.Clear();
        foreach (var column in MetadataColumns)
        {
            if (row.IsNull(column))
            {
                _metadataKey.Add(0);
                continue;
            }

            _metadataKey.Add(1);
            var bytes = row.GetBytes(column);
            _metadataKey.Add((byte)(bytes.Length >> 24));
            _metadataKey.Add((byte)(bytes.Length >> 16));
            _metadataKey.Add((byte)(bytes.Length >> 8));
            _metadataKey.Add((byte)bytes.Length);
            _metadataKey.AddRange(bytes);
        }

        if (System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_metadataKey).SequenceEqual(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_lastMetadataKey)))
        {
            return _lastMetadata;
        }

        _lastMetadataKey.Clear();
        _lastMetadataKey.AddRange(_metadataKey);
        _lastMetadata = Materialize(row);
        return _lastMetadata;
    }

    private static readonly int[] MetadataColumns = [EventRow.CorrelationId, EventRow.CausationId, EventRow.ActorId, EventRow.Headers];

    // Events of one stream often carry the same headers (an encrypted aggregate's subject, key version and
    // fields) with a different correlation id each: parse the headers column once while its bytes repeat.
    private readonly HeadersCache _headers = new();

    private EventMetadata Materialize(RawStatement row)
    {
        var correlation = row.GetStringOrNull(EventRow.CorrelationId);
        var causation = row.GetStringOrNull(EventRow.CausationId);
        var actor = row.GetStringOrNull(EventRow.ActorId);
        var hasHeaders = !row.GetBytes(EventRow.Headers).IsEmpty;
        if (correlation is null && causation is null && actor is null && !hasHeaders)
        {
            return EventMetadata.Empty;
        }

        return new EventMetadata(correlation, causation, actor, hasHeaders ? _headers.Parse(row.GetBytes(EventRow.Headers)) : null);
    }
}
