using SQLitePCL;

namespace Eventuali.Sqlite;

/// <summary>
/// The statements of Sql/snapshots.sql, prepared per call on whichever connection runs them (snapshot
/// calls are rare next to event reads, so they keep no prepared state in the read sessions).
/// </summary>
internal sealed class SnapshotSql : IDisposable
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Sections = new(Load);

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;
    private readonly string _name;

    public SnapshotSql(sqlite3 db, string name)
    {
        _db = db;
        _name = name;
        var sql = Sections.Value.TryGetValue(name, out var text) ? text : throw new InvalidOperationException($"No embedded SQL statement named '{name}'.");
        SqliteErrors.Check(db, raw.sqlite3_prepare_v2(db, sql, out _stmt), $"preparing statement '{name}'");
    }

    public SnapshotSql Bind(int index, long value)
    {
        SqliteErrors.Check(_db, raw.sqlite3_bind_int64(_stmt, index, value), $"binding '{_name}'");
        return this;
    }

    public SnapshotSql Bind(int index, string value)
    {
        SqliteErrors.Check(_db, raw.sqlite3_bind_text(_stmt, index, value), $"binding '{_name}'");
        return this;
    }

    public SnapshotSql Bind(int index, ReadOnlySpan<byte> blob)
    {
        SqliteErrors.Check(_db, blob.IsEmpty ? raw.sqlite3_bind_zeroblob(_stmt, index, 0) : raw.sqlite3_bind_blob(_stmt, index, blob), $"binding '{_name}'");
        return this;
    }

    /// <summary>True for a row, false when done; errors (busy included) throw, so the read pool can retry.</summary>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_stmt);
        return rc switch
        {
            raw.SQLITE_ROW => true,
            raw.SQLITE_DONE => false,
            _ => throw SqliteErrors.Create(_db, rc, $"running '{_name}'"),
        };
    }

    public long Int64(int column) => raw.sqlite3_column_int64(_stmt, column);

    public string Text(int column) => raw.sqlite3_column_text(_stmt, column).utf8_to_string();

    public byte[] Blob(int column) => raw.sqlite3_column_blob(_stmt, column).ToArray();

    public int Changes => raw.sqlite3_changes(_db);

    public void Dispose() => _stmt.Dispose();

    private static IReadOnlyDictionary<string, string> Load() => SqlFile.Load("snapshots.sql");
}
