using System.Runtime.CompilerServices;
using Eventuali.Integrity;

namespace Eventuali.Sqlite;

/// <summary>
/// The read made for verifying the tamper-evident log (<see cref="IEventChainRowReader"/>): pages of positions, each
/// one read transaction stepping the events (live and archived) and the chain entries side by side, every row handed
/// to the verifier as spans over SQLite's own column buffers. No <see cref="RecordedEvent"/>, no per-row string.
/// </summary>
public sealed partial class SqliteEventStore : IEventChainRowReader
{
    // Positions per read transaction: big enough that a page's statements are a small cost, small enough that a
    // read transaction does not hold the WAL back for long.
    private const int ChainRowsPage = 16_384;

    // ContentTypes.Json as UTF-8.
    private static ReadOnlySpan<byte> JsonContentType => "application/json"u8;

    /// <inheritdoc />
    public ValueTask ReadChainRowsAsync(long fromPosition, IEventChainRowSink sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var read = new ChainRowRead(sink, Math.Max(fromPosition, 1));
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pageEnd = read.From + ChainRowsPage;
            var end = _readers.Run(s => read.Page(s, pageEnd), cancellationToken);
            if (end < pageEnd)
            {
                return ValueTask.CompletedTask;
            }

            read.From = pageEnd;
        }
    }

    /// <summary>The state of one read made for verification across its pages.</summary>
    private sealed class ChainRowRead(IEventChainRowSink sink, long from)
    {
        private const int MaxNames = 100_000;
        private readonly Dictionary<long, byte[]> _names = [];
        private long _lastStream = -1;
        private byte[] _lastName = [];
        private readonly HeadersCache _headers = new();

        public long From { get; set; } = from;

        // The last position handed over: a page retried after SQLITE_BUSY skips what the sink already has.
        private long _delivered = from - 1;

        /// <summary>Hands over the rows of [From, pageEnd); returns the highest position stored anywhere.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public long Page(ReadSession session, long pageEnd)
        {
            var end = session.Statement("chain_rows_end").ScalarInt64() ?? 0;
            var live = session.Statement("chain_rows_live");
            var archived = session.Statement("chain_rows_archived");
            var entries = session.Statement("chain_rows_entries");
            try
            {
                // One read transaction: the three statements step side by side on one connection.
                var liveAt = First(live, pageEnd, EventRow.Position);
                var archivedAt = First(archived, pageEnd, EventRow.Position);
                var entryAt = First(entries, pageEnd, 0);
                while (true)
                {
                    var position = Math.Min(Math.Min(liveAt, archivedAt), entryAt);
                    if (position == long.MaxValue)
                    {
                        return end;
                    }

                    // Positions are unique across live and archived events (archiving moves an event with its position).
                    var e = liveAt == position ? live : archivedAt == position ? archived : null;
                    var entry = entryAt == position ? entries : null;
                    if (position > _delivered)
                    {
                        Deliver(session, position, e, entry);
                        _delivered = position;
                    }

                    if (e == live)
                    {
                        liveAt = Next(live, EventRow.Position);
                    }
                    else if (e is not null)
                    {
                        archivedAt = Next(archived, EventRow.Position);
                    }

                    if (entry is not null)
                    {
                        entryAt = Next(entries, 0);
                    }
                }
            }
            finally
            {
                live.Reset();
                archived.Reset();
                entries.Reset();
            }
        }

        private long First(RawStatement statement, long pageEnd, int positionColumn)
        {
            statement.Bind(1, From);
            statement.Bind(2, pageEnd);
            return Next(statement, positionColumn);
        }

        private static long Next(RawStatement statement, int positionColumn) => statement.Step() ? statement.GetInt64(positionColumn) : long.MaxValue;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Deliver(ReadSession session, long position, RawStatement? e, RawStatement? entry)
        {
            if (e is null)
            {
                sink.Accept(new EventChainRow { Position = position, HasEntry = true, EntryHash = entry!.GetBytes(1), EntryRemoved = entry.GetInt64(2) != 0 });
                return;
            }

            var contentType = e.GetBytes(EventRow.ContentType);
            var headers = e.GetBytes(EventRow.Headers);
            var correlation = e.GetBytes(EventRow.CorrelationId);
            var causation = e.GetBytes(EventRow.CausationId);
            var actor = e.GetBytes(EventRow.ActorId);
            sink.Accept(new EventChainRow
            {
                Position = position,
                HasEvent = true,
                StreamId = StreamName(session, e.GetInt64(EventRow.StreamId)),
                StreamVersion = e.GetInt64(EventRow.Version),
                EventId = e.GetBytes(EventRow.EventId),
                EventType = e.GetBytes(EventRow.EventType),
                // NULL (or empty) is how JSON is stored: readers see its name.
                ContentType = contentType.IsEmpty ? JsonContentType : contentType,
                Data = e.GetBytes(EventRow.Data),
                HasCorrelationId = Present(e, EventRow.CorrelationId, correlation),
                CorrelationId = correlation,
                HasCausationId = Present(e, EventRow.CausationId, causation),
                CausationId = causation,
                HasActorId = Present(e, EventRow.ActorId, actor),
                ActorId = actor,
                Headers = headers.IsEmpty ? null : _headers.Parse(headers),
                TimestampMicroseconds = e.GetInt64(EventRow.Timestamp),
                HasEntry = entry is not null,
                EntryHash = entry is null ? default : entry.GetBytes(1),
                EntryRemoved = entry is not null && entry.GetInt64(2) != 0,
            });
        }

        // As the ordinary read: empty bytes are NULL (absent) or '' (present, empty).
        private static bool Present(RawStatement row, int column, ReadOnlySpan<byte> bytes) => !bytes.IsEmpty || !row.IsNull(column);

        private byte[] StreamName(ReadSession session, long streamRowId)
        {
            if (streamRowId == _lastStream)
            {
                return _lastName;
            }

            if (!_names.TryGetValue(streamRowId, out var name))
            {
                var lookup = session.Statement("stream_name");
                lookup.Bind(1, streamRowId);
                try
                {
                    name = lookup.Step() ? lookup.GetBytes(0).ToArray() : throw new InvalidOperationException($"Stream row {streamRowId} has no name.");
                }
                finally
                {
                    lookup.Reset();
                }

                if (_names.Count >= MaxNames)
                {
                    _names.Clear();
                }

                _names[streamRowId] = name;
            }

            _lastStream = streamRowId;
            _lastName = name;
            return name;
        }
    }
}
