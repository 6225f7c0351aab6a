using Eventuali.Cqrs;
using Eventuali.Typed;

namespace Eventuali.Testing;

/// <summary>
/// Given events in any streams, when commands are sent through a <see cref="CommandDispatcher"/> (the application's
/// own routes), then exactly these events are appended (<see cref="Then"/>), in log order, or the last command throws
/// (<see cref="ThenThrows{TException}"/>).
/// </summary>
public sealed class CommandScenario : ScenarioBase<CommandScenario>
{
    private readonly Action<CommandDispatcher> _routes;
    private readonly List<object> _commands = [];

    internal CommandScenario(Action<CommandDispatcher> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        _routes = routes;
    }

    /// <summary>Events already in the stream of aggregate <typeparamref name="TAggregate"/> <paramref name="id"/>.</summary>
    public CommandScenario Given<TAggregate>(string id, params object[] events)
        where TAggregate : Aggregate
        => GivenStream(AggregateStreams.StreamId<TAggregate>(id), events);

    /// <summary>The commands, sent in order; each must have a route.</summary>
    public CommandScenario When(params object[] commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        _commands.AddRange(commands);
        return this;
    }

    /// <summary>Runs the scenario and checks that the commands appended exactly <paramref name="expected"/>, in log order.</summary>
    public async Task Then(params object[] expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var (events, error, command) = await RunAsync().ConfigureAwait(false);
        if (error is not null)
        {
            throw new SpecificationException($"Expected the commands to append:{Environment.NewLine}{Render(expected)}{Environment.NewLine}but {command} threw {error.GetType().Name}: {error.Message}", error);
        }

        AssertEvents(expected, events, $"After {Describe()}");
    }

    /// <summary>Runs the scenario and checks that a command threw <typeparamref name="TException"/> (or a subtype); returns it.</summary>
    public async Task<TException> ThenThrows<TException>()
        where TException : Exception
    {
        var (events, error, _) = await RunAsync().ConfigureAwait(false);
        return error switch
        {
            TException expected => expected,
            null => throw new SpecificationException($"Expected {Describe()} to throw {typeof(TException).Name}, but they succeeded and appended:{Environment.NewLine}{Render(events)}"),
            _ => throw new SpecificationException($"Expected {Describe()} to throw {typeof(TException).Name}, but it threw {error.GetType().Name}: {error.Message}", error),
        };
    }

    private string Describe() => _commands.Count == 1 ? $"command {_commands[0]}" : $"{_commands.Count} commands";

    private async Task<(List<object> Events, Exception? Error, object? Command)> RunAsync()
    {
        if (_commands.Count == 0)
        {
            throw new InvalidOperationException("The scenario has no When: call When(command) before Then.");
        }

        var ct = CancellationToken.None;
        var store = await NewStoreAsync(ct).ConfigureAwait(false);
        await using (store.ConfigureAwait(false))
        {
            var head = await store.GetHeadPositionAsync(ct).ConfigureAwait(false);
            var dispatcher = new CommandDispatcher(store, new CommandRetryOptions { MaxAttempts = 1 });
            _routes(dispatcher);
            foreach (var command in _commands)
            {
                try
                {
                    await dispatcher.SendAsync(command, cancellationToken: ct).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    return (await EventsAfterAsync(store, head, ct).ConfigureAwait(false), ex, command);
                }
            }

            return (await EventsAfterAsync(store, head, ct).ConfigureAwait(false), null, null);
        }
    }
}
