using SQLitePCL;

namespace Eventuali.Sqlite;

/// <summary>
/// A statement prepared once on a connection and reused: bind, step, reset. Thin over the raw
/// SQLite API so hot paths bind UTF-8 spans and read columns without intermediate objects.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;

    // The native pointer for column reads; valid while _stmt is not finalized (until Dispose).
    private readonly IntPtr _native;

    public RawStatement(sqlite3 db, string name)
        : this(db, name, SqlText.Get(name))
    {
    }

    public RawStatement(sqlite3 db, string name, string sql)
    {
        _db = db;
        Name = name;
        var rc = raw.sqlite3_prepare_v3(db, sql, raw.SQLITE_PREPARE_PERSISTENT, out _stmt);
        SqliteErrors.Check(db, rc, $"preparing statement '{name}'");
        _native = _stmt.DangerousGetHandle();
    }

    public string Name { get; }

    public sqlite3_stmt Handle => _stmt;

    public void Bind(int index, long value) => Checked(raw.sqlite3_bind_int64(_stmt, index, value));

    public void BindNull(int index) => Checked(raw.sqlite3_bind_null(_stmt, index));

    public void BindText(int index, string? value)
        => Checked(value is null ? raw.sqlite3_bind_null(_stmt, index) : raw.sqlite3_bind_text16(_stmt, index, value.AsSpan()));

    /// <summary>Binds UTF-8 bytes as TEXT without decoding them.</summary>
    public void BindUtf8(int index, ReadOnlySpan<byte> utf8)
        => Checked(utf8.IsEmpty ? raw.sqlite3_bind_text(_stmt, index, string.Empty) : raw.sqlite3_bind_text(_stmt, index, utf8));

    public void BindBlob(int index, ReadOnlySpan<byte> bytes)
        => Checked(bytes.IsEmpty ? raw.sqlite3_bind_zeroblob(_stmt, index, 0) : raw.sqlite3_bind_blob(_stmt, index, bytes));

    /// <summary>Steps once: true for a row, false when done; any error (busy included) throws after resetting.</summary>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_stmt);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc == raw.SQLITE_DONE)
        {
            return false;
        }

        var error = SqliteErrors.Create(_db, rc, $"running '{Name}'");
        raw.sqlite3_reset(_stmt);
        throw error;
    }

    /// <summary>Steps once and returns the raw result code (for callers that handle busy and constraints).</summary>
    public int StepRaw() => raw.sqlite3_step(_stmt);

    public void Reset() => raw.sqlite3_reset(_stmt);

    public bool IsNull(int column)
        => (NativeColumns.Available ? NativeColumns.sqlite3_column_type(_native, column) : raw.sqlite3_column_type(_stmt, column)) == raw.SQLITE_NULL;

    public long GetInt64(int column)
        => NativeColumns.Available ? NativeColumns.sqlite3_column_int64(_native, column) : raw.sqlite3_column_int64(_stmt, column);

    /// <summary>The column's bytes (TEXT as UTF-8); valid until the next step or reset.</summary>
    public ReadOnlySpan<byte> GetBytes(int column)
        => NativeColumns.Available ? NativeColumns.Bytes(_native, column) : raw.sqlite3_column_blob(_stmt, column);

    public string? GetString(int column)
        => IsNull(column) ? null : System.Text.Encoding.UTF8.GetString(GetBytes(column));

    /// <summary>Text of a nullable column; asks for the type only when the bytes are empty (NULL or '').</summary>
    public string? GetStringOrNull(int column)
    {
        var bytes = GetBytes(column);
        return !bytes.IsEmpty ? System.Text.Encoding.UTF8.GetString(bytes) : IsNull(column) ? null : string.Empty;
    }

    /// <summary>Runs a statement that returns at most one integer; null when no row or NULL.</summary>
    public long? ScalarInt64()
    {
        try
        {
            return Step() && !IsNull(0) ? GetInt64(0) : null;
        }
        finally
        {
            Reset();
        }
    }

    public void Dispose() => raw.sqlite3_finalize(_stmt);

    private void Checked(int rc) => SqliteErrors.Check(_db, rc, $"binding a parameter of '{Name}'");
}
