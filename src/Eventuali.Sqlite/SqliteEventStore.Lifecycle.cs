using System.Runtime.CompilerServices;
using Eventuali.Lifecycle;

namespace Eventuali.Sqlite;

/// <summary>
/// Stream lifecycle on SQLite. State lives on the streams row (read with the stream already); rows are never
/// deleted, so cached stream ids stay valid. Each write is one BEGIN IMMEDIATE transaction, ordered against appends.
/// </summary>
public sealed partial class SqliteEventStore : IStreamLifecycle
{
    private const int ListPageSize = 1000;

    /// <inheritdoc />
    public ValueTask<bool> DeleteStreamAsync(string streamId, DeleteMode mode = DeleteMode.Soft, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        return ValueTask.FromResult(Write(tx =>
        {
            if (FindStream(tx, streamId) is not { } row)
            {
                if (mode != DeleteMode.Tombstone)
                {
                    return false;
                }

                var insert = tx.Statement("lc_insert_tombstone");
                insert.BindText(1, streamId);
                tx.Change(insert);
                return true;
            }

            if (row.State == StateTombstoned || (mode == DeleteMode.Soft && (row.State == StateSoftDeleted || !row.Exists)))
            {
                return false;
            }

            if (mode == DeleteMode.Soft)
            {
                SetState(tx, "lc_set_state", row.Id, StateSoftDeleted);
                return true;
            }

            MarkChainRemoved(tx, row.Id);
            Change(tx, "lc_delete_events", row.Id);
            Change(tx, "lc_delete_archived", row.Id);
            var snapshots = tx.Statement("lc_delete_snapshots");
            snapshots.BindText(1, streamId);
            tx.Change(snapshots);
            SetState(tx, "lc_reset", row.Id, mode == DeleteMode.Tombstone ? StateTombstoned : StateLive);
            return row.Exists || mode == DeleteMode.Tombstone;
        }, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<bool> RestoreStreamAsync(string streamId, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        return ValueTask.FromResult(Write(tx =>
        {
            if (FindStream(tx, streamId) is not { } row || row.State == StateLive)
            {
                return false;
            }

            if (row.State == StateTombstoned)
            {
                throw new StreamDeletedException(streamId, isTombstoned: true);
            }

            SetState(tx, "lc_set_state", row.Id, StateLive);
            return true;
        }, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<long> TruncateStreamAsync(string streamId, long beforeVersion, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Cut(streamId, beforeVersion, archive: false, cancellationToken));

    /// <inheritdoc />
    public ValueTask<long> ArchiveStreamAsync(string streamId, long beforeVersion = long.MaxValue, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Cut(streamId, beforeVersion, archive: true, cancellationToken));

    /// <inheritdoc />
    public IAsyncEnumerable<RecordedEvent> ReadArchivedStreamAsync(string streamId, long fromVersion = StreamVersion.Start, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward, CancellationToken cancellationToken = default)
        => ReadStreamPagesAsync(streamId, fromVersion, maxCount, direction, archived: true, cancellationToken);

    /// <inheritdoc />
    public ValueTask<StreamInfo> GetStreamInfoAsync(string streamId, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        var row = _readers.Run(s => FindStream(s.Statement("lc_stream"), streamId), cancellationToken);
        if (row is not { } r)
        {
            return ValueTask.FromResult(new StreamInfo(streamId, StreamStatus.None, null, 1));
        }

        var status = r.State switch
        {
            StateSoftDeleted => StreamStatus.SoftDeleted,
            StateTombstoned => StreamStatus.Tombstoned,
            _ => r.Exists ? StreamStatus.Live : StreamStatus.None,
        };
        return ValueTask.FromResult(new StreamInfo(streamId, status, r.Version > 0 ? r.Version : null, r.TruncatedBefore));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListStreamsAsync(string? prefix = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        var high = string.IsNullOrEmpty(prefix) ? null : SqliteFilter.UpperBound(prefix);
        var low = string.IsNullOrEmpty(prefix) ? null : prefix;
        var after = string.Empty;
        var page = new List<string>();
        while (true)
        {
            page.Clear();
            _readers.Run(
                s =>
                {
                    var statement = s.Statement("lc_list");
                    statement.BindText(1, after);
                    statement.BindText(2, low);
                    statement.BindText(3, high);
                    statement.Bind(4, ListPageSize);
                    try
                    {
                        while (statement.Step())
                        {
                            page.Add(statement.GetString(0)!);
                        }
                    }
                    finally
                    {
                        statement.Reset();
                    }

                    return 0;
                },
                cancellationToken);
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

    private long Cut(string streamId, long beforeVersion, bool archive, CancellationToken cancellationToken)
    {
        AppendValidation.ValidateStreamId(streamId);
        ArgumentOutOfRangeException.ThrowIfLessThan(beforeVersion, 1);
        return Write(tx =>
        {
            if (FindStream(tx, streamId) is not { } row || (row.State == StateLive && !row.Exists))
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
                Change(tx, "lc_archive_copy", row.Id, cut);
            }
            else
            {
                MarkChainCut(tx, row.Id, cut);
            }

            var removed = Change(tx, "lc_truncate", row.Id, cut);
            Change(tx, "lc_set_truncated", row.Id, cut);
            return removed;
        }, cancellationToken);
    }

    private T Write<T>(Func<LifecycleTransaction, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return LifecycleTransaction.Run(Location, _writerConnection.Handle!, _gate, work, cancellationToken);
    }

    private static StreamRow? FindStream(LifecycleTransaction tx, string streamId) => FindStream(tx.Statement("lc_stream"), streamId);

    private static StreamRow? FindStream(RawStatement statement, string streamId)
    {
        statement.BindText(1, streamId);
        try
        {
            return statement.Step()
                ? new StreamRow(statement.GetInt64(0), statement.GetInt64(1), statement.GetInt64(2), statement.GetInt64(3))
                : null;
        }
        finally
        {
            statement.Reset();
        }
    }

    private static long Change(LifecycleTransaction tx, string name, long streamRowId, long? value = null)
    {
        var statement = tx.Statement(name);
        statement.Bind(1, streamRowId);
        if (value is { } v)
        {
            statement.Bind(2, v);
        }

        return tx.Change(statement);
    }

    private static void SetState(LifecycleTransaction tx, string name, long streamRowId, long state) => Change(tx, name, streamRowId, state);

    private const long StateLive = 0;
    private const long StateSoftDeleted = 1;
    private const long StateTombstoned = 2;

    /// <summary>A streams row: state, truncation point and the last stored event's version (0: none).</summary>
    private readonly record struct StreamRow(long Id, long State, long TruncatedBefore, long LastStored)
    {
        public long Version => Math.Max(LastStored, TruncatedBefore - 1);

        public bool Exists => Version > 0;
    }
}
