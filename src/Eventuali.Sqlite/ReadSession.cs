using SQLitePCL;

namespace Eventuali.Sqlite;

/// <summary>
/// One read connection with its statements prepared once. Each call runs one short read
/// transaction (one page) and resets its statement, so no read stays open between pages.
/// </summary>
internal sealed class ReadSession : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3? _ownedConnection;
    private Dictionary<string, RawStatement>? _extra;
    private readonly RawStatement _streamId;
    private readonly RawStatement _streamName;
    private readonly RawStatement _streamVersion;
    private readonly RawStatement _head;
    private readonly RawStatement _forward;
    private readonly RawStatement _backward;
    private readonly RawStatement _all;
    private readonly RawStatement _allFiltered;
    private readonly RowMaterializer _rows;

    public ReadSession(sqlite3 db, sqlite3? ownedConnection, StreamNameCache names)
    {
        _db = db;
        _ownedConnection = ownedConnection;
        Db = db;
        _streamId = new RawStatement(db, "stream_id");
        _streamName = new RawStatement(db, "stream_name");
        _streamVersion = new RawStatement(db, "stream_version");
        _head = new RawStatement(db, "head_position");
        _forward = new RawStatement(db, "read_stream_forward");
        _backward = new RawStatement(db, "read_stream_backward");
        _all = new RawStatement(db, "read_all");
        _allFiltered = new RawStatement(db, "read_all_filtered");
        _rows = new RowMaterializer(names);
    }

    /// <summary>The connection, for statements prepared per call by other parts of the store (statistics, snapshots).</summary>
    public sqlite3 Db { get; }

    public long? LookupStreamId(string name)
    {
        _streamId.BindText(1, name);
        return _streamId.ScalarInt64();
    }

    public string LookupStreamName(long streamRowId)
    {
        _streamName.Bind(1, streamRowId);
        try
        {
            return _streamName.Step() ? _streamName.GetString(0)! : throw new InvalidOperationException($"Stream row {streamRowId} has no name.");
        }
        finally
        {
            _streamName.Reset();
        }
    }

    public long? StreamVersion(long streamRowId)
    {
        _streamVersion.Bind(1, streamRowId);
        return _streamVersion.ScalarInt64();
    }

    public long HeadPosition() => _head.ScalarInt64() ?? 0;

    public void ReadStream(long streamRowId, long fromVersion, int limit, ReadDirection direction, List<RecordedEvent> into, bool archived = false)
    {
        var forward = direction == ReadDirection.Forward;
        var statement = archived ? Statement(forward ? "archived_forward" : "archived_backward") : forward ? _forward : _backward;
        statement.Bind(1, streamRowId);
        statement.Bind(2, fromVersion);
        statement.Bind(3, limit);
        Fill(statement, into);
    }

    public void ReadAll(long fromPosition, int limit, SqliteFilter? filter, List<RecordedEvent> into)
    {
        if (filter is null)
        {
            _all.Bind(1, fromPosition);
            _all.Bind(2, limit);
            Fill(_all, into);
            return;
        }

        _allFiltered.Bind(1, fromPosition);
        _allFiltered.Bind(2, limit);
        _allFiltered.BindText(3, filter.PrefixLow);
        _allFiltered.BindText(4, filter.PrefixHigh);
        _allFiltered.BindText(5, filter.EventTypesJson);
        Fill(_allFiltered, into);
    }

    /// <summary>A statement of another feature (any embedded section), prepared on first use and kept with the session.</summary>
    public RawStatement Statement(string name)
    {
        _extra ??= new Dictionary<string, RawStatement>(StringComparer.Ordinal);
        if (!_extra.TryGetValue(name, out var statement))
        {
            _extra[name] = statement = new RawStatement(_db, name);
        }

        return statement;
    }

    /// <summary>Reads event rows (the read_stream column order) of a bound statement into <paramref name="into"/>.</summary>
    public void ReadEvents(RawStatement statement, List<RecordedEvent> into) => Fill(statement, into);

    private void Fill(RawStatement statement, List<RecordedEvent> into)
    {
        // A page is filled whole or retried whole (after SQLITE_BUSY), never appended to twice.
        into.Clear();
        try
        {
            while (statement.Step())
            {
                into.Add(_rows.Read(statement, this));
            }
        }
        finally
        {
            statement.Reset();
        }
    }

    public void Dispose()
    {
        _streamId.Dispose();
        _streamName.Dispose();
        _streamVersion.Dispose();
        _head.Dispose();
        _forward.Dispose();
        _backward.Dispose();
        _all.Dispose();
        _allFiltered.Dispose();
        foreach (var statement in _extra?.Values ?? Enumerable.Empty<RawStatement>())
        {
            statement.Dispose();
        }

        _ownedConnection?.Dispose(); // sqlite3_close_v2 once its statements are finalized above
    }
}
