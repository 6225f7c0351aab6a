using SQLitePCL;

namespace Eventuali.Sqlite;

/// <summary>
/// A hard delete also removes the stream's snapshots when the store has a <c>snapshots</c> table (added by
/// the snapshots migration). The stream column is found by name: <c>stream_name</c> or <c>stream</c> (the name),
/// or <c>stream_id</c> (the streams row id when declared INTEGER, else the name). Column names come from this list only.
/// </summary>
internal static class SqliteSnapshotCleanup
{
    public static void Delete(LifecycleTransaction tx, long streamRowId, string streamName)
    {
        var columns = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var info = tx.Statement("lc_snapshot_columns");
        try
        {
            while (info.Step())
            {
                columns[info.GetString(0)!] = info.GetString(1) ?? string.Empty;
            }
        }
        finally
        {
            info.Reset();
        }

        string? column = null;
        var byRowId = false;
        foreach (var candidate in (string[])["stream_name", "stream", "stream_id"])
        {
            if (columns.TryGetValue(candidate, out var type))
            {
                column = candidate;
                byRowId = candidate == "stream_id" && type.Contains("INT", StringComparison.OrdinalIgnoreCase);
                break;
            }
        }

        if (column is null)
        {
            return;
        }

        var rc = raw.sqlite3_prepare_v2(tx.Db, $"DELETE FROM snapshots WHERE \"{column}\" = ?1", out var statement);
        SqliteErrors.Check(tx.Db, rc, "preparing the snapshot cleanup of a hard delete");
        using (statement)
        {
            rc = byRowId ? raw.sqlite3_bind_int64(statement, 1, streamRowId) : raw.sqlite3_bind_text16(statement, 1, streamName.AsSpan());
            SqliteErrors.Check(tx.Db, rc, "binding the snapshot cleanup of a hard delete");
            SqliteErrors.Check(tx.Db, raw.sqlite3_step(statement), "deleting the snapshots of a hard-deleted stream");
        }
    }
}
