using Eventuali.Typed;

namespace Eventuali.Cqrs;

/// <summary>
/// Routes command objects to the aggregate they act on: register each command type once with how it finds its
/// aggregate id and what it decides, then <see cref="SendAsync"/> any of them. Each send goes through a
/// <see cref="CommandHandler{TAggregate}"/>, so conflicts are retried the same way.
/// </summary>
public sealed class CommandDispatcher
{
    private readonly IEventStore _store;
    private readonly CommandRetryOptions? _retry;
    private readonly Dictionary<Type, Func<object, EventMetadata?, CancellationToken, ValueTask<CommandOutcome>>> _routes = [];

    /// <summary>Creates a dispatcher over <paramref name="store"/>; conflicts are retried as <paramref name="retry"/> says (default: <see cref="CommandRetryOptions.Default"/>).</summary>
    public CommandDispatcher(IEventStore store, CommandRetryOptions? retry = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _retry = retry;
    }

    /// <summary>Routes <typeparamref name="TCommand"/> to aggregate <typeparamref name="TAggregate"/> <paramref name="idOf"/>(command).</summary>
    public CommandDispatcher Register<TCommand, TAggregate>(Func<TCommand, string> idOf, Action<TAggregate, TCommand> decide)
        where TCommand : notnull
        where TAggregate : Aggregate, new()
    {
        ArgumentNullException.ThrowIfNull(idOf);
        ArgumentNullException.ThrowIfNull(decide);
        var handler = new CommandHandler<TAggregate>(_store, _retry);
        Func<object, EventMetadata?, CancellationToken, ValueTask<CommandOutcome>> route = async (command, metadata, ct) =>
        {
            var typed = (TCommand)command;
            var r = await handler.HandleAsync(idOf(typed), a => decide(a, typed), metadata, ct).ConfigureAwait(false);
            return new CommandOutcome(r.Aggregate.Id, r.Append, r.Attempts);
        };
        if (!_routes.TryAdd(typeof(TCommand), route))
        {
            throw new ArgumentException($"{typeof(TCommand).FullName} is already registered.", nameof(decide));
        }

        return this;
    }

    /// <summary>Sends <paramref name="command"/> to its registered route; an unregistered type throws <see cref="InvalidOperationException"/>.</summary>
    public ValueTask<CommandOutcome> SendAsync(object command, EventMetadata? metadata = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        return _routes.TryGetValue(command.GetType(), out var route)
            ? route(command, metadata, cancellationToken)
            : throw new InvalidOperationException($"No route for command {command.GetType().FullName}; register it with Register<{command.GetType().Name}, TAggregate>(...).");
    }
}

/// <summary>What a dispatched command did: the aggregate id, the append, and the attempts it took.</summary>
public readonly record struct CommandOutcome(string AggregateId, AppendResult Append, int Attempts);
