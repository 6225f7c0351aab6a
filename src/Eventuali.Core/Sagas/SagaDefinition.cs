using System.Text.Json;
using Eventuali.Typed;

namespace Eventuali.Sagas;

/// <summary>
/// What a saga (process manager) reacts to and how: which events start or continue an instance, how an event
/// maps to an instance id (its correlation), and handlers that change the state and decide appends, timeouts
/// and completion. Handlers must be deterministic: given the same state and event they decide the same things,
/// which is what makes re-processing after a crash append nothing new.
/// </summary>
/// <typeparam name="TState">The instance state, stored as JSON.</typeparam>
public sealed class SagaDefinition<TState>
    where TState : class, new()
{
    private readonly Dictionary<Type, EventHandlerEntry> _handlers = [];

    /// <param name="name">The saga's stored name (1-200 characters); also names its checkpoint.</param>
    /// <param name="stateJson">How the state is serialised; default: web defaults (camelCase).</param>
    public SagaDefinition(string name, JsonSerializerOptions? stateJson = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        SagaValidation.ValidateKey(name, "-");
        Name = name;
        StateJson = stateJson ?? JsonEventSerializer.CreateDefaultOptions();
    }

    /// <summary>The saga's stable name (it keys stored state and timeouts).</summary>
    public string Name { get; }

    /// <summary>The JSON options the saga state is stored with.</summary>
    public JsonSerializerOptions StateJson { get; }

    internal Action<SagaContext<TState>, SagaTimeout>? TimeoutHandler { get; private set; }

    internal Action<SagaContext<TState>, SagaAppendFailure>? FailureHandler { get; private set; }

    internal IReadOnlyDictionary<Type, EventHandlerEntry> Handlers => _handlers;

    /// <summary><typeparamref name="TEvent"/> starts an instance (or continues an existing one).</summary>
    public SagaDefinition<TState> StartedBy<TEvent>(Func<TEvent, string?> correlate, Action<SagaContext<TState>, TEvent> handle)
        where TEvent : notnull => Add(correlate, handle, starts: true);

    /// <summary><typeparamref name="TEvent"/> continues an existing instance; for an id with no instance it is ignored.</summary>
    public SagaDefinition<TState> Handles<TEvent>(Func<TEvent, string?> correlate, Action<SagaContext<TState>, TEvent> handle)
        where TEvent : notnull => Add(correlate, handle, starts: false);

    /// <summary>Runs when a timeout the instance scheduled is due. The fired timeout is removed in the same save.</summary>
    public SagaDefinition<TState> OnTimeout(Action<SagaContext<TState>, SagaTimeout> handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        TimeoutHandler = handle;
        return this;
    }

    /// <summary>
    /// Runs when an append the saga decided is refused (<see cref="ConcurrencyException"/> or
    /// <see cref="DuplicateEventIdException"/>): decide compensating appends here. Appends decided after the
    /// failed one in the same batch are dropped. Without this handler the refusal stops the runner.
    /// </summary>
    public SagaDefinition<TState> OnAppendFailed(Action<SagaContext<TState>, SagaAppendFailure> handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        FailureHandler = handle;
        return this;
    }

    private SagaDefinition<TState> Add<TEvent>(Func<TEvent, string?> correlate, Action<SagaContext<TState>, TEvent> handle, bool starts)
        where TEvent : notnull
    {
        ArgumentNullException.ThrowIfNull(correlate);
        ArgumentNullException.ThrowIfNull(handle);
        if (!_handlers.TryAdd(typeof(TEvent), new EventHandlerEntry(starts, e => correlate((TEvent)e), (ctx, e) => handle(ctx, (TEvent)e))))
        {
            throw new ArgumentException($"Saga '{Name}' already handles {typeof(TEvent).FullName}.", nameof(handle));
        }

        return this;
    }

    internal sealed record EventHandlerEntry(bool Starts, Func<object, string?> Correlate, Action<SagaContext<TState>, object> Handle);
}

/// <summary>An append the saga decided that the store refused.</summary>
/// <param name="StreamId">The target stream.</param>
/// <param name="ExpectedVersion">The expectation that was given.</param>
/// <param name="Events">The events, as objects.</param>
/// <param name="Error">Why it was refused.</param>
public sealed record SagaAppendFailure(string StreamId, ExpectedVersion ExpectedVersion, IReadOnlyList<object> Events, EventualiException Error);
