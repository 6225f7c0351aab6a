using System.Runtime.CompilerServices;

namespace Eventuali.InMemory;

/// <summary>
/// The whole contract in process memory: thread-safe, for tests and for users' unit tests.
/// One lock orders appends, so positions are contiguous and in commit order.
/// </summary>
public sealed partial class InMemoryEventStore : IEventStore
{
    private readonly Lock _gate = new();
    private readonly List<RecordedEvent?> _log = []; // null: removed by a lifecycle operation
    private readonly Dictionary<string, List<RecordedEvent>> _streams = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, RecordedEvent> _byEventId = [];
    private readonly StoreTelemetry _telemetry;
    private readonly Tenancy.InMemoryTenantMeter? _meter; // a tenant's store: usage and quotas

    /// <summary>Creates an empty store with <paramref name="options"/> (default: <see cref="EventStoreOptions.Default"/>).</summary>
    public InMemoryEventStore(EventStoreOptions? options = null)
        : this(options, null)
    {
    }

    internal InMemoryEventStore(EventStoreOptions? options, Tenancy.InMemoryTenantMeter? meter)
    {
        Options = options ?? EventStoreOptions.Default;
        _telemetry = new StoreTelemetry(Diagnostics.EventualiAttributes.SystemOther, null, Options);
        _meter = meter;
    }

    /// <inheritdoc />
    public EventStoreOptions Options { get; }

    /// <inheritdoc />
    public ValueTask<AppendResult> AppendAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
        => StoreTelemetry.IsAppendObserved
            ? _telemetry.AppendAsync(streamId, expectedVersion, events, (s, v, e, ct) => Append(s, v, e, null, ct), cancellationToken)
            : Append(streamId, expectedVersion, events, null, cancellationToken);

    // timestamp: null stamps the events with the clock; an import passes the original time.
    private ValueTask<AppendResult> Append(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, DateTimeOffset? timestamp, CancellationToken cancellationToken)
    {
        AppendValidation.Validate(streamId, events);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ThrowIfDeleted(streamId);
            _streams.TryGetValue(streamId, out var stream);
            if (TryIdempotentResult(streamId, expectedVersion, events, stream) is { } original)
            {
                return ValueTask.FromResult(original);
            }

            long? actual = stream is { Count: > 0 } ? stream.Count : null;
            if (!expectedVersion.IsSatisfiedBy(actual))
            {
                throw new ConcurrencyException(streamId, expectedVersion, actual);
            }

            foreach (var e in events)
            {
                if (_byEventId.TryGetValue(e.EventId, out var existing))
                {
                    throw new DuplicateEventIdException(e.EventId, streamId, existing.StreamId, existing.StreamVersion);
                }
            }

            // Quotas before anything is written, under the append lock: concurrent writers cannot overshoot.
            _meter?.CheckAppend(events, stream is null);
            var now = timestamp ?? AppendValidation.Stamp(Options.TimeProvider);
            RunInline(streamId, stream?.Count ?? 0, events, now);
            var newStream = stream is null;
            stream ??= _streams[streamId] = [];
            foreach (var e in events)
            {
                var recorded = new RecordedEvent(streamId, stream.Count + 1, _log.Count + 1, e.EventId, e.EventType, e.Data.ToArray(), Snapshot(e.Metadata), now, e.ContentType);
                stream.Add(recorded);
                _log.Add(recorded);
                _byEventId.Add(e.EventId, recorded);
            }

            RecordSubjects(streamId, events);
            _meter?.RecordAppend(events, newStream);
            _appended.Set();
            return ValueTask.FromResult(new AppendResult(stream.Count, _log.Count));
        }
    }

    // The caller's header dictionary may be mutable; keep a copy so later changes do not alter stored events.
    private static EventMetadata Snapshot(EventMetadata metadata)
        => metadata.Headers is null ? metadata : metadata with { Headers = new Dictionary<string, string>(metadata.Headers, StringComparer.Ordinal) };

    // An exact retry: the first id is stored in this stream and every id follows at the next versions.
    private AppendResult? TryIdempotentResult(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, List<RecordedEvent>? stream)
    {
        if (!_byEventId.TryGetValue(events[0].EventId, out var first))
        {
            return null;
        }

        if (stream is null || first.StreamId != streamId)
        {
            throw new DuplicateEventIdException(first.EventId, streamId, first.StreamId, first.StreamVersion);
        }

        var startsRight = expected.IsExact ? first.StreamVersion == expected.Value + 1 : true;
        var last = first.StreamVersion + events.Count - 1;
        if (!startsRight || last > stream.Count)
        {
            throw new DuplicateEventIdException(first.EventId, streamId, first.StreamId, first.StreamVersion);
        }

        for (var i = 1; i < events.Count; i++)
        {
            if (stream[(int)(first.StreamVersion - 1 + i)].EventId != events[i].EventId)
            {
                throw new DuplicateEventIdException(events[i].EventId, streamId, first.StreamId, first.StreamVersion + i);
            }
        }

        return new AppendResult(last, stream[(int)last - 1].Position);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long fromVersion = StreamVersion.Start, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward, CancellationToken cancellationToken = default)
        => StoreTelemetry.IsReadObserved
            ? _telemetry.ObserveRead(ReadStreamCoreAsync(streamId, fromVersion, maxCount, direction, cancellationToken), Diagnostics.EventualiOperations.ReadStream, streamId, cancellationToken)
            : ReadStreamCoreAsync(streamId, fromVersion, maxCount, direction, cancellationToken);

    private async IAsyncEnumerable<RecordedEvent> ReadStreamCoreAsync(string streamId, long fromVersion, int maxCount, ReadDirection direction, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        AppendValidation.ValidateStreamId(streamId);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        await Task.CompletedTask.ConfigureAwait(false);
        var step = direction == ReadDirection.Forward ? 1 : -1;
        long version = direction == ReadDirection.Forward ? Math.Max(fromVersion, 1) : fromVersion;
        for (var n = 0; n < maxCount && version >= 1; n++, version += step)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RecordedEvent item;
            lock (_gate)
            {
                if (!_streams.TryGetValue(streamId, out var stream) || IsHidden(streamId))
                {
                    yield break;
                }

                // Truncated or archived versions are skipped: forward jumps over them, backward stops at them.
                var floor = FloorOf(streamId);
                if (direction == ReadDirection.Forward && version <= floor)
                {
                    version = floor + 1;
                }

                if (version > stream.Count)
                {
                    if (direction == ReadDirection.Forward)
                    {
                        yield break;
                    }

                    version = stream.Count;
                }

                if (version <= floor)
                {
                    yield break;
                }

                item = stream[(int)version - 1];
            }

            _meter?.CountRead();
            yield return item;
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(long fromPosition = 1, int maxCount = int.MaxValue, EventFilter? filter = null, CancellationToken cancellationToken = default)
        => StoreTelemetry.IsReadObserved
            ? _telemetry.ObserveRead(ReadAllCoreAsync(fromPosition, maxCount, filter, cancellationToken), Diagnostics.EventualiOperations.ReadAll, null, cancellationToken)
            : ReadAllCoreAsync(fromPosition, maxCount, filter, cancellationToken);

    private async IAsyncEnumerable<RecordedEvent> ReadAllCoreAsync(long fromPosition, int maxCount, EventFilter? filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        await Task.CompletedTask.ConfigureAwait(false);
        var index = Math.Max(fromPosition, 1) - 1;
        for (var n = 0; n < maxCount;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RecordedEvent? item;
            lock (_gate)
            {
                if (index >= _log.Count)
                {
                    yield break;
                }

                item = _log[(int)index++];
            }

            if (item is not null && (filter is null || filter.Matches(item.StreamId, item.EventType)))
            {
                n++;
                _meter?.CountRead();
                yield return item;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<long?> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        lock (_gate)
        {
            return ValueTask.FromResult<long?>(!IsHidden(streamId) && _streams.TryGetValue(streamId, out var s) && s.Count > 0 ? s.Count : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult((long)_log.Count);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The streams and the events per type the store holds now (cross-tenant analytics; no read is counted).</summary>
    internal (long Streams, IReadOnlyList<KeyValuePair<string, long>> EventsByType) Counts()
    {
        var streams = new HashSet<string>(StringComparer.Ordinal);
        var types = new SortedDictionary<string, long>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var e in _log)
            {
                if (e is not null)
                {
                    streams.Add(e.StreamId);
                    types[e.EventType] = types.GetValueOrDefault(e.EventType) + 1;
                }
            }
        }

        return (streams.Count, [.. types]);
    }

    /// <summary>The payload bytes of the events the store holds now: an in-memory tenant's storage used.</summary>
    internal long StoredPayloadBytes()
    {
        lock (_gate)
        {
            long bytes = 0;
            foreach (var e in _log)
            {
                bytes += e?.Data.Length ?? 0;
            }

            return bytes;
        }
    }
}
