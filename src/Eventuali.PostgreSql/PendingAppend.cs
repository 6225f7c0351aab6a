using System.Runtime.InteropServices;
using Eventuali.DataKeys;
using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>One append waiting for the committer: its arguments as arrays, and where its result goes.</summary>
internal sealed class PendingAppend : TaskCompletionSource<AppendResult>
{
    /// <summary>At most this many events share one transaction (positions keep 20 bits for them).</summary>
    public const int MaxEventsPerTransaction = (1 << 20) - 1;

    private int _state; // 0 queued, 1 taken by the committer, 2 cancelled
    private CancellationTokenRegistration _cancel;

    // Continuations may run synchronously: the committer never completes an append itself while it commits;
    // it hands each batch's outcomes to one pool work item (see AppendCommitter.Deliver), which saves a thread
    // wake-up per append under group commit.
    public PendingAppend(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, DateTimeOffset timestamp)
    {
        StreamId = streamId;
        Expected = expected;
        Timestamp = timestamp;
        Subjects = DataSubjectHeader.SubjectsOf(events);
        var n = events.Count;
        Ids = new Guid[n];
        Types = new string[n];
        Data = new byte[n][];
        ContentTypes = new string[n];
        for (var i = 0; i < n; i++)
        {
            var e = events[i];
            Ids[i] = e.EventId;
            Types[i] = e.EventType;
            Data[i] = AsArray(e.Data);
            ContentTypes[i] = e.ContentType;
            var m = e.Metadata;
            if (ReferenceEquals(m, EventMetadata.Empty))
            {
                continue;
            }

            // Metadata arrays exist only when some event has that field: unnest pads a NULL array with nulls.
            if (m.CorrelationId is { } correlation)
            {
                (Correlation ??= new string?[n])[i] = correlation;
            }

            if (m.CausationId is { } causation)
            {
                (Causation ??= new string?[n])[i] = causation;
            }

            if (m.ActorId is { } actor)
            {
                (Actor ??= new string?[n])[i] = actor;
            }

            if (HeadersJson.Write(m.Headers) is { } headers)
            {
                (Headers ??= new string?[n])[i] = headers;
            }
        }
    }

    public string StreamId { get; }
    public ExpectedVersion Expected { get; }
    public DateTimeOffset Timestamp { get; }
    public int Count => Ids.Length;
    public Guid[] Ids { get; }
    public string[] Types { get; }
    public byte[][] Data { get; }
    public string[] ContentTypes { get; }
    public string?[]? Correlation { get; private set; }
    public string?[]? Causation { get; private set; }
    public string?[]? Actor { get; private set; }
    public string?[]? Headers { get; private set; }

    /// <summary>The data subjects the events name (see <see cref="DataSubjectHeader"/>), recorded in the append's transaction.</summary>
    public IReadOnlyList<string> Subjects { get; }

    public void WatchCancellation(CancellationToken ct)
    {
        if (ct.CanBeCanceled)
        {
            _cancel = ct.Register(static s =>
            {
                var self = (PendingAppend)s!;
                if (Interlocked.CompareExchange(ref self._state, 2, 0) == 0)
                {
                    self.TrySetCanceled();
                }
            }, this);
        }
    }

    /// <summary>Claims the append for a transaction; false when its caller cancelled it first.</summary>
    public bool TryTake()
    {
        var taken = Interlocked.CompareExchange(ref _state, 1, 0) == 0;
        _cancel.Dispose();
        return taken;
    }

    /// <summary>This append alone as one call of append(); its events are numbered from 1 in their transaction.</summary>
    public NpgsqlBatchCommand ToCommand(string sql, string notifyChannel)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        var p = cmd.Parameters;
        p.Add(new NpgsqlParameter<string> { TypedValue = StreamId, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<long> { TypedValue = Expected.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        p.Add(new NpgsqlParameter<int> { TypedValue = 1, NpgsqlDbType = NpgsqlDbType.Integer });
        AppendParameters.AddEvents(p, Ids, Types, Data, ContentTypes, Correlation, Causation, Actor, Headers);
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = Timestamp, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(AppendParameters.Notify(notifyChannel));
        return cmd;
    }

    private AppendResult _result;
    private Exception? _error;
    private bool _committed;

    /// <summary>Whether the staged outcome stored the events (not a replay of an earlier append, not refused).</summary>
    public bool Written { get; private set; }

    /// <summary>Keeps the outcome from the function's status row; <see cref="Publish"/> hands it out after COMMIT.</summary>
    public void Stage(NpgsqlDataReader r)
    {
        if (_committed)
        {
            return;
        }

        _error = null;
        var status = r.GetInt32(0);
        Written = status == 0;
        switch (status)
        {
            case 0 or 1:
                _result = new AppendResult(r.GetInt64(1), r.GetInt64(2));
                break;
            case 2:
                _error = new ConcurrencyException(StreamId, Expected, r.IsDBNull(1) ? null : r.GetInt64(1));
                break;
            case 3:
                _error = new DuplicateEventIdException(r.GetGuid(3), StreamId, r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetInt64(5));
                break;
            case 5:
                _error = new StreamDeletedException(StreamId, isTombstoned: r.GetInt64(1) == 2);
                break;
            default:
                _error = new ArgumentException(
                    $"PostgreSQL rejected a payload of the append to stream '{StreamId}' (JSON payloads must be JSON that jsonb can store): {(r.IsDBNull(6) ? "unknown reason" : r.GetString(6))}");
                break;
        }
    }

    /// <summary>Keeps a failure; <see cref="Publish"/> hands it out.</summary>
    public void Fail(Exception error)
    {
        if (!_committed)
        {
            _error = error;
        }
    }

    /// <summary>The transaction holding the staged outcome has committed: nothing may replace it now.</summary>
    public void Committed() => _committed = true;

    public void Publish()
    {
        if (_error is null)
        {
            TrySetResult(_result);
        }
        else
        {
            TrySetException(_error);
        }
    }

    private static byte[] AsArray(ReadOnlyMemory<byte> data)
        => MemoryMarshal.TryGetArray(data, out var seg) && seg.Offset == 0 && seg.Count == seg.Array!.Length ? seg.Array : data.ToArray();
}
