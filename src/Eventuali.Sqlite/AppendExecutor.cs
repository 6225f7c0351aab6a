using Eventuali.DataKeys;
using SQLitePCL;

namespace Eventuali.Sqlite;

/// <summary>
/// Runs one append inside the writer's open transaction: deleted-stream check, idempotency check, then expected-version
/// check, then the inserts. Statements are prepared once and rebound for every append.
/// </summary>
internal sealed class AppendExecutor : IDisposable
{
    private readonly sqlite3 _db;
    private readonly TimeProvider _clock;
    private readonly RawStatement _eventById;
    private readonly RawStatement _eventAt;
    private readonly RawStatement _streamId;
    private readonly RawStatement _streamInsert;
    private readonly RawStatement _streamState;
    private readonly RawStatement _insert;
    private readonly RawStatement _subjectStream;

    public AppendExecutor(sqlite3 db, TimeProvider clock, TenantMeter? meter = null)
    {
        _db = db;
        _clock = clock;
        Usage = meter is null ? null : new TenantUsageWriter(db, meter, clock);
        _eventById = new RawStatement(db, "event_by_id");
        _eventAt = new RawStatement(db, "event_at");
        _streamId = new RawStatement(db, "stream_id");
        _streamInsert = new RawStatement(db, "stream_insert");
        _streamState = new RawStatement(db, "stream_state");
        _insert = new RawStatement(db, "event_insert");
        _subjectStream = new RawStatement(db, "subject_stream_add", DataKeySql.Get("subject_stream_add"));
    }

    /// <summary>The tenant's metering and quotas (null for a store that is not a tenant's).</summary>
    public TenantUsageWriter? Usage { get; }

    /// <summary>Applies the append or throws a contract exception; on a throw the caller rolls back what this append wrote.</summary>
    public AppendResult Apply(PendingAppend append)
    {
        var events = append.Events;
        _streamId.BindText(1, append.StreamId);
        var streamRowId = _streamId.ScalarInt64();
        long? actual = streamRowId is { } id ? VersionOfWritable(append.StreamId, id) : null;
        if (TryIdempotentResult(append, streamRowId) is { } original)
        {
            return original;
        }

        if (!append.ExpectedVersion.IsSatisfiedBy(actual))
        {
            throw new ConcurrencyException(append.StreamId, append.ExpectedVersion, actual);
        }

        // Quotas before anything is written: a refused append leaves no trace, not even its stream row.
        var newStream = streamRowId is null;
        Usage?.Check(append, newStream);
        if (streamRowId is null)
        {
            _streamInsert.BindText(1, append.StreamId);
            _streamInsert.Step();
            _streamInsert.Reset();
            streamRowId = raw.sqlite3_last_insert_rowid(_db);
        }

        var timestamp = EventRow.ToUnixMicroseconds(append.Timestamp ?? AppendValidation.Stamp(_clock));
        var version = actual ?? 0;
        for (var i = 0; i < events.Count; i++)
        {
            EventRow.BindInsert(_insert, streamRowId.Value, ++version, events[i], timestamp);
            var rc = _insert.StepRaw();
            _insert.Reset();
            if (rc == raw.SQLITE_CONSTRAINT)
            {
                throw DuplicateOf(append, events[i]);
            }

            SqliteErrors.Check(_db, rc, $"appending to stream '{append.StreamId}'");
        }

        var position = raw.sqlite3_last_insert_rowid(_db);
        RecordSubjects(append);
        Usage?.Record(append, newStream);
        return new AppendResult(version, position);
    }

    // In the append's transaction: a stored event's subject is always findable for erasure and export.
    private void RecordSubjects(PendingAppend append)
    {
        foreach (var subject in DataSubjectHeader.SubjectsOf(append.Events))
        {
            _subjectStream.BindText(1, subject);
            _subjectStream.BindText(2, append.StreamId);
            _subjectStream.Step();
            _subjectStream.Reset();
        }
    }

    // An exact retry: the first id is stored in this stream and every id follows at the next versions.
    private AppendResult? TryIdempotentResult(PendingAppend append, long? streamRowId)
    {
        var events = append.Events;
        if (Lookup(events[0].EventId) is not { } first)
        {
            return null;
        }

        if (first.StreamName != append.StreamId)
        {
            throw new DuplicateEventIdException(events[0].EventId, append.StreamId, first.StreamName, first.Version);
        }

        var expected = append.ExpectedVersion;
        if (expected.IsExact && first.Version != expected.Value + 1)
        {
            throw new DuplicateEventIdException(events[0].EventId, append.StreamId, first.StreamName, first.Version);
        }

        var lastPosition = first.Position;
        Span<byte> id = stackalloc byte[16];
        for (var i = 1; i < events.Count; i++)
        {
            _eventAt.Bind(1, streamRowId!.Value);
            _eventAt.Bind(2, first.Version + i);
            try
            {
                if (!_eventAt.Step())
                {
                    throw new DuplicateEventIdException(events[0].EventId, append.StreamId, first.StreamName, first.Version);
                }

                events[i].EventId.TryWriteBytes(id, bigEndian: true, out _);
                if (!_eventAt.GetBytes(0).SequenceEqual(id))
                {
                    throw new DuplicateEventIdException(events[i].EventId, append.StreamId, first.StreamName, first.Version + i);
                }

                lastPosition = _eventAt.GetInt64(1);
            }
            finally
            {
                _eventAt.Reset();
            }
        }

        return new AppendResult(first.Version + events.Count - 1, lastPosition);
    }

    // The version an append continues from (null: none yet); a deleted stream refuses every append, retries included.
    private long? VersionOfWritable(string streamName, long streamRowId)
    {
        _streamState.Bind(1, streamRowId);
        try
        {
            _streamState.Step();
            var state = _streamState.GetInt64(1);
            if (state != 0)
            {
                throw new StreamDeletedException(streamName, isTombstoned: state == 2);
            }

            var version = _streamState.GetInt64(0);
            return version > 0 ? version : null;
        }
        finally
        {
            _streamState.Reset();
        }
    }

    // The insert of 'failed' hit a unique constraint; ids within one append are distinct, so it is stored elsewhere.
    private DuplicateEventIdException DuplicateOf(PendingAppend append, EventData failed)
    {
        if (Lookup(failed.EventId) is { } existing)
        {
            return new DuplicateEventIdException(failed.EventId, append.StreamId, existing.StreamName, existing.Version);
        }

        // A constraint failed that is not an event id: (stream, version) cannot collide under the write lock.
        throw SqliteErrors.Create(_db, raw.SQLITE_CONSTRAINT, $"appending to stream '{append.StreamId}'");
    }

    private (long Version, long Position, string StreamName)? Lookup(Guid eventId)
    {
        Span<byte> id = stackalloc byte[16];
        eventId.TryWriteBytes(id, bigEndian: true, out _);
        _eventById.BindBlob(1, id);
        try
        {
            return _eventById.Step() ? (_eventById.GetInt64(0), _eventById.GetInt64(1), _eventById.GetString(2)!) : null;
        }
        finally
        {
            _eventById.Reset();
        }
    }

    public void Dispose()
    {
        _eventById.Dispose();
        _eventAt.Dispose();
        _streamId.Dispose();
        _streamInsert.Dispose();
        _streamState.Dispose();
        _insert.Dispose();
        _subjectStream.Dispose();
        Usage?.Dispose();
    }
}
