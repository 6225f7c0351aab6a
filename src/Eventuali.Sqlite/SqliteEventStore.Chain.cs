using System.Runtime.CompilerServices;
using Eventuali.Integrity;

namespace Eventuali.Sqlite;

/// <summary>
/// The tamper-evident log's storage (tables <c>event_chain</c> and <c>chain_checkpoints</c>, migration 010). Entries
/// are appended in one write transaction, ordered against appends and lifecycle operations by SQLite's single writer,
/// so a removal can never slip between the sealer's read and its write unrecorded.
/// </summary>
public sealed partial class SqliteEventStore : IEventChainStore
{
    private const int ChainPageSize = 4096;

    /// <inheritdoc />
    public ValueTask<EventChainEntry?> ReadLastEntryAsync(CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_readers.Run(
            static s =>
            {
                var statement = s.Statement("chain_last");
                try
                {
                    return statement.Step() ? ReadEntry(statement) : null;
                }
                finally
                {
                    statement.Reset();
                }
            },
            cancellationToken));

    /// <inheritdoc />
    public async IAsyncEnumerable<EventChainEntry> ReadEntriesAsync(long fromPosition = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        var from = Math.Max(fromPosition, 1);
        var page = new List<EventChainEntry>(ChainPageSize);
        while (true)
        {
            page.Clear();
            _readers.Run(
                s =>
                {
                    var statement = s.Statement("chain_page");
                    statement.Bind(1, from);
                    statement.Bind(2, ChainPageSize);
                    try
                    {
                        while (statement.Step())
                        {
                            page.Add(ReadEntry(statement));
                        }
                    }
                    finally
                    {
                        statement.Reset();
                    }

                    return 0;
                },
                cancellationToken);
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
    public ValueTask<bool> AppendEntriesAsync(long afterPosition, IReadOnlyList<EventChainEntry> entries, CancellationToken cancellationToken = default)
    {
        EventChainValidation.ValidateEntries(afterPosition, entries);
        if (entries.Count == 0)
        {
            return ValueTask.FromResult(true);
        }

        return ValueTask.FromResult(Write(
            tx =>
            {
                var last = tx.Statement("chain_last");
                long stored;
                try
                {
                    stored = last.Step() ? last.GetInt64(0) : 0;
                }
                finally
                {
                    last.Reset();
                }

                if (stored != afterPosition)
                {
                    return false;
                }

                var insert = tx.Statement("chain_insert");
                foreach (var e in entries)
                {
                    insert.Bind(1, e.Position);
                    insert.BindBlob(2, e.ChainHash.Span);
                    insert.Bind(3, e.Removed ? 1 : 0);
                    tx.Change(insert);
                }

                var vanished = tx.Statement("chain_mark_vanished");
                vanished.Bind(1, entries[0].Position);
                vanished.Bind(2, entries[^1].Position);
                tx.Change(vanished);
                return true;
            },
            cancellationToken));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RecordedEvent> ReadArchivedLogAsync(long fromPosition = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        var from = Math.Max(fromPosition, 1);
        var page = new List<RecordedEvent>(Options.ReadPageSize);
        while (true)
        {
            _readers.Run(
                s =>
                {
                    var statement = s.Statement("archived_log");
                    statement.Bind(1, from);
                    statement.Bind(2, Options.ReadPageSize);
                    s.ReadEvents(statement, page);
                    return 0;
                },
                cancellationToken);
            foreach (var e in page)
            {
                yield return e;
            }

            if (page.Count < Options.ReadPageSize)
            {
                yield break;
            }

            from = page[^1].Position + 1;
        }
    }

    /// <inheritdoc />
    public ValueTask AddCheckpointAsync(EventChainCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        EventChainValidation.ValidateCheckpoint(checkpoint);
        Write(
            tx =>
            {
                var save = tx.Statement("chain_checkpoint_save");
                save.Bind(1, checkpoint.Position);
                save.BindBlob(2, checkpoint.ChainHash.Span);
                save.Bind(3, EventRow.ToUnixMicroseconds(checkpoint.CreatedAt));
                save.BindText(4, checkpoint.KeyId);
                save.BindBlob(5, checkpoint.Signature.Span);
                return tx.Change(save);
            },
            cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<EventChainCheckpoint> ReadCheckpointsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        var all = _readers.Run(
            static s =>
            {
                var statement = s.Statement("chain_checkpoints");
                var list = new List<EventChainCheckpoint>();
                try
                {
                    while (statement.Step())
                    {
                        list.Add(new EventChainCheckpoint(
                            statement.GetInt64(0),
                            statement.GetBytes(1).ToArray(),
                            EventRow.FromUnixMicroseconds(statement.GetInt64(2)),
                            statement.GetString(3) ?? string.Empty,
                            statement.GetBytes(4).ToArray()));
                    }
                }
                finally
                {
                    statement.Reset();
                }

                return list;
            },
            cancellationToken);
        foreach (var c in all)
        {
            yield return c;
        }
    }

    /// <summary>In a lifecycle transaction, before a hard delete or tombstone removes the stream's events.</summary>
    private static void MarkChainRemoved(LifecycleTransaction tx, long streamRowId) => Change(tx, "chain_mark_stream", streamRowId);

    /// <summary>In a lifecycle transaction, before a truncation removes the events below <paramref name="cut"/>.</summary>
    private static void MarkChainCut(LifecycleTransaction tx, long streamRowId, long cut) => Change(tx, "chain_mark_cut", streamRowId, cut);

    private static EventChainEntry ReadEntry(RawStatement statement)
        => new(statement.GetInt64(0), statement.GetBytes(1).ToArray(), statement.GetInt64(2) != 0);
}
