using System.Runtime.CompilerServices;
using Eventuali.Lifecycle;
using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>
/// Stream lifecycle on PostgreSQL. State lives on the streams row, which reads and the append function look up
/// anyway. Deletes take a SHARE lock on events (appends pause for the delete's duration, readers do not) and
/// raise the row's epoch, so no append can land in a stream deleted under it. Removing rows never lets a reader
/// of the global log skip an event: positions of removed events simply no longer appear.
/// </summary>
public sealed partial class PostgreSqlEventStore : IStreamLifecycle
{
    private const int ListPageSize = 1000;
    private const short StateLive = 0;
    private const short StateSoftDeleted = 1;
    private const short StateTombstoned = 2;

    /// <inheritdoc />
    public async ValueTask<bool> DeleteStreamAsync(string streamId, DeleteMode mode = DeleteMode.Soft, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        return await InTransactionAsync(async conn =>
        {
            if (mode == DeleteMode.Tombstone
                && await ScalarInTxAsync(conn, "lc_insert_tombstone", cancellationToken, Text(streamId)).ConfigureAwait(false) is long)
            {
                return true;
            }

            await ScalarInTxAsync(conn, "lc_lock", cancellationToken).ConfigureAwait(false);
            if (await FindStreamAsync(conn, "lc_stream", streamId, cancellationToken).ConfigureAwait(false) is not { } row
                || row.State == StateTombstoned
                || (mode == DeleteMode.Soft && (row.State == StateSoftDeleted || !row.Exists)))
            {
                return false;
            }

            if (mode == DeleteMode.Soft)
            {
                await ScalarInTxAsync(conn, "lc_set_state", cancellationToken, Big(row.Id), Small(StateSoftDeleted)).ConfigureAwait(false);
                return true;
            }

            await MarkChainRemovedAsync(conn, row.Id, cancellationToken).ConfigureAwait(false);
            await ScalarInTxAsync(conn, "lc_delete_events", cancellationToken, Big(row.Id)).ConfigureAwait(false);
            await ScalarInTxAsync(conn, "lc_delete_archived", cancellationToken, Big(row.Id)).ConfigureAwait(false);
            await ScalarInTxAsync(conn, "lc_delete_snapshots", cancellationToken, Text(streamId)).ConfigureAwait(false);
            await ScalarInTxAsync(conn, "lc_reset", cancellationToken, Big(row.Id), Small(mode == DeleteMode.Tombstone ? StateTombstoned : StateLive)).ConfigureAwait(false);
            return row.Exists || mode == DeleteMode.Tombstone;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> RestoreStreamAsync(string streamId, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        return await InTransactionAsync(async conn =>
        {
            if (await FindStreamAsync(conn, "lc_stream", streamId, cancellationToken).ConfigureAwait(false) is not { } row || row.State == StateLive)
            {
                return false;
            }

            if (row.State == StateTombstoned)
            {
                throw new StreamDeletedException(streamId, isTombstoned: true);
            }

            await ScalarInTxAsync(conn, "lc_set_state", cancellationToken, Big(row.Id), Small(StateLive)).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<long> TruncateStreamAsync(string streamId, long beforeVersion, CancellationToken cancellationToken = default)
        => CutAsync(streamId, beforeVersion, archive: false, cancellationToken);

    /// <inheritdoc />
    public ValueTask<long> ArchiveStreamAsync(string streamId, long beforeVersion = long.MaxValue, CancellationToken cancellationToken = default)
        => CutAsync(streamId, beforeVersion, archive: true, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<RecordedEvent> ReadArchivedStreamAsync(string streamId, long fromVersion = StreamVersion.Start, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward, CancellationToken cancellationToken = default)
        => ReadStreamPagesAsync(streamId, fromVersion, maxCount, direction, archived: true, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<StreamInfo> GetStreamInfoAsync(string streamId, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        StreamRow? found = null;
        await ReadRowsAsync(_sql["lc_info"], r => found = StreamRow.Read(r), cancellationToken, Text(streamId)).ConfigureAwait(false);
        if (found is not { } row)
        {
            return new StreamInfo(streamId, StreamStatus.None, null, 1);
        }

        var status = row.State switch
        {
            StateSoftDeleted => StreamStatus.SoftDeleted,
            StateTombstoned => StreamStatus.Tombstoned,
            _ => row.Exists ? StreamStatus.Live : StreamStatus.None,
        };
        return new StreamInfo(streamId, status, row.Exists ? row.Version : null, row.TruncatedBefore);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListStreamsAsync(string? prefix = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var low = string.IsNullOrEmpty(prefix) ? null : prefix;
        var high = low is null ? null : PrefixRange.UpperBound(low);
        var after = string.Empty;
        var page = new List<string>();
        while (true)
        {
            page.Clear();
            await ReadRowsAsync(_sql["lc_list"], r => page.Add(r.GetString(0)), cancellationToken,
                Text(after), OptionalText(low), OptionalText(high),
                new NpgsqlParameter<int> { TypedValue = ListPageSize, NpgsqlDbType = NpgsqlDbType.Integer }).ConfigureAwait(false);
            foreach (var name in page)
            {
                yield return name;
            }

            if (page.Count < ListPageSize)
            {
                yield break;
            }

            after = page[^1];
        }
    }

    private async ValueTask<long> CutAsync(string streamId, long beforeVersion, bool archive, CancellationToken cancellationToken)
    {
        AppendValidation.ValidateStreamId(streamId);
        ArgumentOutOfRangeException.ThrowIfLessThan(beforeVersion, 1);
        return await InTransactionAsync(async conn =>
        {
            if (await FindStreamAsync(conn, "lc_stream", streamId, cancellationToken).ConfigureAwait(false) is not { } row
                || (row.State == StateLive && !row.Exists))
            {
                return 0L;
            }

            if (row.State != StateLive)
            {
                throw new StreamDeletedException(streamId, row.State == StateTombstoned);
            }

            var cut = Math.Min(beforeVersion, row.Version + 1);
            if (cut <= row.TruncatedBefore)
            {
                return 0L;
            }

            if (archive)
            {
                await ScalarInTxAsync(conn, "lc_archive_copy", cancellationToken, Big(row.Id), Big(cut)).ConfigureAwait(false);
            }
            else
            {
                await MarkChainCutAsync(conn, row.Id, cut, cancellationToken).ConfigureAwait(false);
            }

            var removed = await ScalarInTxAsync(conn, "lc_truncate", cancellationToken, Big(row.Id), Big(cut)).ConfigureAwait(false);
            await ScalarInTxAsync(conn, "lc_set_truncated", cancellationToken, Big(row.Id), Big(cut)).ConfigureAwait(false);
            return (long)(int)removed!;
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            var conn = PgTenantScope.Mark(await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false), _settings);
            await using (conn.ConfigureAwait(false))
            {
                var tx = await PgTenantScope.BeginAsync(conn, cancellationToken).ConfigureAwait(false);
                await using (tx.ConfigureAwait(false))
                {
                    var result = await work(conn).ConfigureAwait(false);
                    await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                    if (_replicas is not null)
                    {
                        await _replicas.BarrierAsync(conn, cancellationToken).ConfigureAwait(false);
                    }

                    return result;
                }
            }
        }
        catch (NpgsqlException ex) when (PgErrors.Map(ex, _settings) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <summary>Runs one statement of the open transaction: the first column of its first row, or the rows changed when it returns none.</summary>
    private async Task<object?> ScalarInTxAsync(NpgsqlConnection conn, string name, CancellationToken cancellationToken, params NpgsqlParameter[] args)
    {
        var cmd = PgTenantScope.Batch(conn, null, _sql[name], args);
        await using (cmd.ConfigureAwait(false))
        {
            var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var hasColumns = reader.FieldCount > 0;
                var value = hasColumns && await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetValue(0) : null;
                while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
                {
                }

                return value ?? reader.RecordsAffected;
            }
        }
    }

    private async Task<StreamRow?> FindStreamAsync(NpgsqlConnection conn, string name, string streamId, CancellationToken cancellationToken)
    {
        var cmd = PgTenantScope.Batch(conn, null, _sql[name], Text(streamId));
        await using (cmd.ConfigureAwait(false))
        {
            var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? StreamRow.Read(reader) : null;
            }
        }
    }

    private static NpgsqlParameter<string> Text(string value) => new NpgsqlParameter<string> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter OptionalText(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter<long> Big(long value) => new NpgsqlParameter<long> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Bigint };

    private static NpgsqlParameter<short> Small(short value) => new NpgsqlParameter<short> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Smallint };

    /// <summary>A streams row: state, truncation point and the last stored event's version (0: none).</summary>
    private readonly record struct StreamRow(long Id, short State, long TruncatedBefore, long LastStored)
    {
        public long Version => Math.Max(LastStored, TruncatedBefore - 1);

        public bool Exists => Version > 0;

        public static StreamRow Read(NpgsqlDataReader r) => new(r.GetInt64(0), r.GetInt16(1), r.GetInt64(2), r.GetInt64(3));
    }
}
