using System.Runtime.CompilerServices;
using Eventuali.Snapshots;

namespace Eventuali.Sqlite;

/// <summary>
/// Snapshots in the store's own file (table snapshots), and time-travel lookups on the events table.
/// Each call is one short statement on a pooled connection, retried while another writer holds the lock.
/// </summary>
public sealed partial class SqliteEventStore : ISnapshotStore, IStreamTimeline
{
    private const int ListPage = 256;

    /// <inheritdoc />
    public ValueTask WriteSnapshotAsync(StoredSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        SnapshotValidation.Validate(snapshot);
        _readers.Run(
            s =>
            {
                using var sql = new SnapshotSql(s.Db, "snapshot_upsert")
                    .Bind(1, snapshot.StreamId).Bind(2, snapshot.Version).Bind(3, snapshot.Position).Bind(4, snapshot.AggregateType)
                    .Bind(5, snapshot.SchemaVersion).Bind(6, (long)snapshot.Codec).Bind(7, snapshot.Checksum).Bind(8, snapshot.Data.Span)
                    .Bind(9, EventRow.ToUnixMicroseconds(snapshot.CreatedAt));
                sql.Step();
                return 0;
            },
            cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<StoredSnapshot?> ReadSnapshotAsync(string streamId, long maxVersion = long.MaxValue, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        return ValueTask.FromResult(_readers.Run(
            s =>
            {
                using var sql = new SnapshotSql(s.Db, "snapshot_latest").Bind(1, streamId).Bind(2, maxVersion);
                return sql.Step()
                    ? new StoredSnapshot(streamId, sql.Int64(0), sql.Int64(1), sql.Text(2), (int)sql.Int64(3), (SnapshotCodec)sql.Int64(4), sql.Int64(5), sql.Blob(7), EventRow.FromUnixMicroseconds(sql.Int64(6)))
                    : null;
            },
            cancellationToken));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SnapshotInfo> ListSnapshotsAsync(string streamId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        await Task.CompletedTask.ConfigureAwait(false);
        var below = long.MaxValue;
        while (true)
        {
            var from = below;
            var page = _readers.Run(
                s =>
                {
                    var list = new List<SnapshotInfo>();
                    using var sql = new SnapshotSql(s.Db, "snapshot_list").Bind(1, streamId).Bind(2, from).Bind(3, ListPage);
                    while (sql.Step())
                    {
                        list.Add(new SnapshotInfo(streamId, sql.Int64(0), sql.Int64(1), sql.Text(2), (int)sql.Int64(3), (SnapshotCodec)sql.Int64(4), sql.Int64(5), (int)sql.Int64(7), EventRow.FromUnixMicroseconds(sql.Int64(6))));
                    }

                    return list;
                },
                cancellationToken);
            foreach (var info in page)
            {
                yield return info;
            }

            if (page.Count < ListPage)
            {
                yield break;
            }

            below = page[^1].Version;
        }
    }

    /// <inheritdoc />
    public ValueTask<int> PruneSnapshotsAsync(string streamId, int keep, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        SnapshotValidation.ValidateKeep(keep);
        return ValueTask.FromResult(_readers.Run(
            s =>
            {
                using var sql = new SnapshotSql(s.Db, "snapshot_prune").Bind(1, streamId).Bind(2, keep);
                sql.Step();
                return sql.Changes;
            },
            cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<long> GetVersionAtTimeAsync(string streamId, DateTimeOffset time, CancellationToken cancellationToken = default)
        => VersionAt("version_at_time", streamId, EventRow.ToUnixMicroseconds(time), cancellationToken);

    /// <inheritdoc />
    public ValueTask<long> GetVersionAtPositionAsync(string streamId, long position, CancellationToken cancellationToken = default)
        => VersionAt("version_at_position", streamId, position, cancellationToken);

    private ValueTask<long> VersionAt(string statement, string streamId, long bound, CancellationToken cancellationToken)
    {
        AppendValidation.ValidateStreamId(streamId);
        return ValueTask.FromResult(_readers.Run(
            s =>
            {
                using var sql = new SnapshotSql(s.Db, statement).Bind(1, streamId).Bind(2, bound);
                return sql.Step() ? sql.Int64(0) : 0;
            },
            cancellationToken));
    }
}
