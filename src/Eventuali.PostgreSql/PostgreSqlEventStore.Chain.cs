using System.Runtime.CompilerServices;
using Eventuali.Integrity;
using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>
/// The tamper-evident log's storage (tables <c>event_chain</c> and <c>chain_checkpoints</c>, migration 010). Appends
/// never touch it: group commit and its lanes run as before. The sealer appends entries in one transaction under an
/// advisory lock that lifecycle removals also take, so a removal is always recorded on the entry it affects.
/// </summary>
public sealed partial class PostgreSqlEventStore : IEventChainStore
{
    private const int ChainPageSize = 4096;

    /// <inheritdoc />
    public async ValueTask<EventChainEntry?> ReadLastEntryAsync(CancellationToken cancellationToken = default)
    {
        EventChainEntry? last = null;
        await ReadRowsAsync(_sql["chain_last"], r => last = ReadEntry(r), cancellationToken).ConfigureAwait(false);
        return last;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<EventChainEntry> ReadEntriesAsync(long fromPosition = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var from = Math.Max(fromPosition, 1);
        var page = new List<EventChainEntry>(ChainPageSize);
        while (true)
        {
            page.Clear();
            await ReadRowsAsync(_sql["chain_page"], r => page.Add(ReadEntry(r)), cancellationToken, Big(from),
                new NpgsqlParameter<int> { TypedValue = ChainPageSize, NpgsqlDbType = NpgsqlDbType.Integer }).ConfigureAwait(false);
            foreach (var entry in page)
            {
                yield return entry;
            }

            if (page.Count < ChainPageSize)
            {
                yield break;
            }

            from = page[^1].Position + 1;
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> AppendEntriesAsync(long afterPosition, IReadOnlyList<EventChainEntry> entries, CancellationToken cancellationToken = default)
    {
        EventChainValidation.ValidateEntries(afterPosition, entries);
        if (entries.Count == 0)
        {
            return true;
        }

        return await InTransactionAsync(async conn =>
        {
            await ScalarInTxAsync(conn, "chain_lock", cancellationToken).ConfigureAwait(false);
            var stored = await ScalarInTxAsync(conn, "chain_last", cancellationToken).ConfigureAwait(false) is long p ? p : 0;
            if (stored != afterPosition)
            {
                return false;
            }

            var positions = new long[entries.Count];
            var chainHashes = new byte[entries.Count][];
            var removed = new bool[entries.Count];
            for (var i = 0; i < entries.Count; i++)
            {
                positions[i] = entries[i].Position;
                chainHashes[i] = entries[i].ChainHash.ToArray();
                removed[i] = entries[i].Removed;
            }

            await ScalarInTxAsync(conn, "chain_insert", cancellationToken,
                new NpgsqlParameter<long[]> { TypedValue = positions, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
                new NpgsqlParameter<byte[][]> { TypedValue = chainHashes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea },
                new NpgsqlParameter<bool[]> { TypedValue = removed, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean }).ConfigureAwait(false);
            await ScalarInTxAsync(conn, "chain_mark_vanished", cancellationToken, Big(positions[0]), Big(positions[^1])).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RecordedEvent> ReadArchivedLogAsync(long fromPosition = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var from = Math.Max(fromPosition, 1);
        var limit = Math.Max(1, Options.ReadPageSize);
        var page = new List<EventRow>(limit);
        while (true)
        {
            page.Clear();
            await FetchAsync(_sql["archived_log"], page, cancellationToken, Big(from),
                new NpgsqlParameter<int> { TypedValue = limit, NpgsqlDbType = NpgsqlDbType.Integer }).ConfigureAwait(false);
            await ResolveNamesAsync(page, null, cancellationToken).ConfigureAwait(false);
            foreach (var row in page)
            {
                _names.TryGet(row.StreamId, out var name);
                yield return row.ToRecorded(name);
            }

            if (page.Count < limit)
            {
                yield break;
            }

            from = page[^1].Position + 1;
        }
    }

    /// <inheritdoc />
    public async ValueTask AddCheckpointAsync(EventChainCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        EventChainValidation.ValidateCheckpoint(checkpoint);
        await ScalarAsync(_sql["chain_checkpoint_save"], cancellationToken,
            Big(checkpoint.Position),
            new NpgsqlParameter<byte[]> { TypedValue = checkpoint.ChainHash.ToArray(), NpgsqlDbType = NpgsqlDbType.Bytea },
            new NpgsqlParameter<DateTimeOffset> { TypedValue = checkpoint.CreatedAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz },
            Text(checkpoint.KeyId),
            new NpgsqlParameter<byte[]> { TypedValue = checkpoint.Signature.ToArray(), NpgsqlDbType = NpgsqlDbType.Bytea }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<EventChainCheckpoint> ReadCheckpointsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var all = new List<EventChainCheckpoint>();
        await ReadRowsAsync(_sql["chain_checkpoints"], r => all.Add(new EventChainCheckpoint(
            r.GetInt64(0),
            r.GetFieldValue<byte[]>(1),
            r.GetFieldValue<DateTimeOffset>(2),
            r.GetString(3),
            r.GetFieldValue<byte[]>(4))), cancellationToken).ConfigureAwait(false);
        foreach (var c in all)
        {
            yield return c;
        }
    }

    /// <summary>In a lifecycle transaction, before a hard delete or tombstone removes the stream's events.</summary>
    private async Task MarkChainRemovedAsync(NpgsqlConnection conn, long streamRowId, CancellationToken cancellationToken)
    {
        await ScalarInTxAsync(conn, "chain_lock", cancellationToken).ConfigureAwait(false);
        await ScalarInTxAsync(conn, "chain_mark_stream", cancellationToken, Big(streamRowId)).ConfigureAwait(false);
    }

    /// <summary>In a lifecycle transaction, before a truncation removes the events below <paramref name="cut"/>.</summary>
    private async Task MarkChainCutAsync(NpgsqlConnection conn, long streamRowId, long cut, CancellationToken cancellationToken)
    {
        await ScalarInTxAsync(conn, "chain_lock", cancellationToken).ConfigureAwait(false);
        await ScalarInTxAsync(conn, "chain_mark_cut", cancellationToken, Big(streamRowId), Big(cut)).ConfigureAwait(false);
    }

    private static EventChainEntry ReadEntry(NpgsqlDataReader r)
        => new(r.GetInt64(0), r.GetFieldValue<byte[]>(1), r.GetBoolean(2));
}
