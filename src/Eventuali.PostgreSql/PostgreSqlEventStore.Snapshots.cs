using System.Runtime.CompilerServices;
using Eventuali.Snapshots;
using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>Snapshots in the store's schema (table snapshots), and time-travel lookups on the events table.</summary>
public sealed partial class PostgreSqlEventStore : ISnapshotStore, IStreamTimeline
{
    private const int ListPage = 256;
    private SnapshotSqlText? _snapshotSql;

    private SnapshotSqlText SnapshotSql => _snapshotSql ??= new SnapshotSqlText(_settings);

    /// <inheritdoc />
    public async ValueTask WriteSnapshotAsync(StoredSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        SnapshotValidation.Validate(snapshot);
        await ScalarAsync(
            SnapshotSql["snapshot_upsert"],
            cancellationToken,
            Text(snapshot.StreamId),
            Long(snapshot.Version),
            Long(snapshot.Position),
            Text(snapshot.AggregateType),
            new NpgsqlParameter<int> { TypedValue = snapshot.SchemaVersion },
            new NpgsqlParameter<short> { TypedValue = (short)snapshot.Codec },
            Long(snapshot.Checksum),
            new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = snapshot.Data, NpgsqlDbType = NpgsqlDbType.Bytea },
            new NpgsqlParameter<DateTimeOffset> { TypedValue = snapshot.CreatedAt.ToUniversalTime() }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<StoredSnapshot?> ReadSnapshotAsync(string streamId, long maxVersion = long.MaxValue, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        StoredSnapshot? found = null;
        await ReadRowsAsync(
            SnapshotSql["snapshot_latest"],
            r => found = new StoredSnapshot(streamId, r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetInt32(3), (SnapshotCodec)r.GetInt16(4), r.GetInt64(5), r.GetFieldValue<byte[]>(7), r.GetFieldValue<DateTimeOffset>(6)),
            cancellationToken,
            Text(streamId),
            Long(maxVersion)).ConfigureAwait(false);
        return found;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SnapshotInfo> ListSnapshotsAsync(string streamId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        var below = long.MaxValue;
        var page = new List<SnapshotInfo>();
        while (true)
        {
            page.Clear();
            await ReadRowsAsync(
                SnapshotSql["snapshot_list"],
                r => page.Add(new SnapshotInfo(streamId, r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetInt32(3), (SnapshotCodec)r.GetInt16(4), r.GetInt64(5), r.GetInt32(7), r.GetFieldValue<DateTimeOffset>(6))),
                cancellationToken,
                Text(streamId),
                Long(below),
                new NpgsqlParameter<int> { TypedValue = ListPage }).ConfigureAwait(false);
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
    public async ValueTask<int> PruneSnapshotsAsync(string streamId, int keep, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        SnapshotValidation.ValidateKeep(keep);
        var deleted = await ScalarAsync(SnapshotSql["snapshot_prune"], cancellationToken, Text(streamId), new NpgsqlParameter<int> { TypedValue = keep }).ConfigureAwait(false);
        return Convert.ToInt32(deleted, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async ValueTask<long> GetVersionAtTimeAsync(string streamId, DateTimeOffset time, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        var version = await ScalarAsync(SnapshotSql["version_at_time"], cancellationToken, Text(streamId), new NpgsqlParameter<DateTimeOffset> { TypedValue = time.ToUniversalTime() }).ConfigureAwait(false);
        return Convert.ToInt64(version, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async ValueTask<long> GetVersionAtPositionAsync(string streamId, long position, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        var version = await ScalarAsync(SnapshotSql["version_at_position"], cancellationToken, Text(streamId), Long(position)).ConfigureAwait(false);
        return Convert.ToInt64(version, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static NpgsqlParameter<long> Long(long value) => new() { TypedValue = value };
}
