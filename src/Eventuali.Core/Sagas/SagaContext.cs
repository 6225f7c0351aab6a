using System.Text.Json;
using Eventuali.Typed;

namespace Eventuali.Sagas;

/// <summary>
/// What a saga handler sees and decides: the instance state (change it in place or replace it), and the appends,
/// timeouts and completion it wants. Nothing happens until the handler returns; then state and decisions are
/// saved together and the appends are written with deterministic event ids.
/// </summary>
public sealed class SagaContext<TState>
    where TState : class
{
    private readonly List<SagaOutbox.Append> _appends = [];
    private readonly List<SagaTimeout> _schedule = [];
    private readonly List<string> _cancel = [];
    private readonly string _sagaName;
    private readonly Guid _sourceId;
    private readonly EventTypeRegistry _types;
    private readonly JsonSerializerOptions _json;
    private readonly EventMetadata _metadata;
    private int _nextIndex;

    internal SagaContext(string sagaName, string sagaId, TState state, bool isNew, RecordedEvent? trigger, Guid sourceId, DateTimeOffset now, EventTypeRegistry types, JsonSerializerOptions json)
    {
        _sagaName = sagaName;
        SagaId = sagaId;
        State = state;
        IsNew = isNew;
        Event = trigger;
        _sourceId = sourceId;
        Now = now;
        _types = types;
        _json = json;
        _metadata = new EventMetadata(trigger?.Metadata.CorrelationId ?? sagaId, sourceId.ToString(), "saga:" + sagaName);
    }

    /// <summary>The instance id (the correlation id the event mapped to).</summary>
    public string SagaId { get; }

    /// <summary>The state; saved after the handler returns.</summary>
    public TState State { get; set; }

    /// <summary>True when the instance has never been saved (the starting event).</summary>
    public bool IsNew { get; }

    /// <summary>The event being handled; null in timeout and failure handlers.</summary>
    public RecordedEvent? Event { get; }

    /// <summary>The runner's clock now.</summary>
    public DateTimeOffset Now { get; }

    internal bool Completed { get; private set; }

    internal IReadOnlyList<SagaOutbox.Append> Appends => _appends;

    internal IReadOnlyList<SagaTimeout> Scheduled => _schedule;

    internal IReadOnlyList<string> Cancelled => _cancel;

    /// <summary>
    /// Appends <paramref name="events"/> to <paramref name="streamId"/> once the state is saved. Their ids derive from
    /// (saga name, triggering event or timeout, index), so deciding the same thing again appends nothing new.
    /// </summary>
    public void Append(string streamId, ExpectedVersion expectedVersion, params object[] events)
    {
        AppendValidation.ValidateStreamId(streamId);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Length == 0)
        {
            throw new ArgumentException($"Saga '{_sagaName}' decided an append to '{streamId}' with no events.", nameof(events));
        }

        var data = new EventData[events.Length];
        for (var i = 0; i < events.Length; i++)
        {
            data[i] = _types.ToEventData(events[i], _metadata, DeterministicId.ForSaga(_sagaName, _sourceId, _nextIndex++));
        }

        _appends.Add(new SagaOutbox.Append(streamId, expectedVersion.Value, [.. data.Select(SagaOutbox.Event.From)]));
    }

    /// <summary>Appends with <see cref="ExpectedVersion.Any"/>.</summary>
    public void Append(string streamId, params object[] events) => Append(streamId, ExpectedVersion.Any, events);

    /// <summary>Schedules (or replaces) timeout <paramref name="key"/> to fire <paramref name="after"/> from <see cref="Now"/>.</summary>
    public void Schedule(string key, TimeSpan after, object? data = null) => ScheduleAt(key, Now + after, data);

    /// <summary>Schedules (or replaces) timeout <paramref name="key"/> to fire at <paramref name="dueAt"/>.</summary>
    public void ScheduleAt(string key, DateTimeOffset dueAt, object? data = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        _schedule.RemoveAll(t => t.Key == key);
        _cancel.Remove(key);
        var id = DeterministicId.Create(DeterministicId.SagaNamespace, $"{_sagaName}\n{SagaId}\ntimeout\n{key}\n{_sourceId:N}");
        var json = data is null ? null : JsonSerializer.Serialize(data, _json.GetTypeInfo(data.GetType()));
        _schedule.Add(new SagaTimeout(_sagaName, SagaId, key, id, SagaValidation.Micro(dueAt), json));
    }

    /// <summary>Cancels timeout <paramref name="key"/> if it is scheduled.</summary>
    public void Cancel(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        _schedule.RemoveAll(t => t.Key == key);
        if (!_cancel.Contains(key))
        {
            _cancel.Add(key);
        }
    }

    /// <summary>Reads a timeout's data as <typeparamref name="T"/> (the state's JSON options).</summary>
    public T? ReadData<T>(SagaTimeout timeout)
    {
        ArgumentNullException.ThrowIfNull(timeout);
        return timeout.Data is null ? default : JsonSerializer.Deserialize(timeout.Data, ReflectionJson.Info<T>(_json));
    }

    /// <summary>Marks the instance finished: its timeouts are removed and later events are ignored.</summary>
    public void Complete() => Completed = true;
}
