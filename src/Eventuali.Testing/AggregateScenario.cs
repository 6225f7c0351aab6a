using Eventuali.Typed;

namespace Eventuali.Testing;

/// <summary>
/// Given events in an aggregate's stream, when a command method runs on the loaded aggregate, then exactly these
/// events are raised (<see cref="Then"/>) or this exception is thrown (<see cref="ThenThrows{TException}"/>).
/// The aggregate is loaded the way the application loads it (from the in-memory store), so Apply methods run too.
/// </summary>
public sealed class AggregateScenario<TAggregate> : ScenarioBase<AggregateScenario<TAggregate>>
    where TAggregate : Aggregate, new()
{
    private readonly string _id;
    private Func<TAggregate, CancellationToken, ValueTask<TAggregate>>? _when;
    private string _whenText = "the command";

    internal AggregateScenario(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        _id = id;
    }

    /// <summary>The aggregate's stream id.</summary>
    public string StreamId => AggregateStreams.StreamId<TAggregate>(_id);

    /// <summary>Events already in the aggregate's stream.</summary>
    public AggregateScenario<TAggregate> Given(params object[] events) => GivenStream(StreamId, events);

    /// <summary>The command: a method call on the loaded aggregate.</summary>
    public AggregateScenario<TAggregate> When(Action<TAggregate> command, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        return When((a, _) => { command(a); return ValueTask.FromResult(a); }, description);
    }

    /// <summary>The command, for decisions that await.</summary>
    public AggregateScenario<TAggregate> When(Func<TAggregate, CancellationToken, ValueTask> command, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        return When(async (a, ct) => { await command(a, ct).ConfigureAwait(false); return a; }, description);
    }

    /// <summary>The command that creates the aggregate (a factory such as <c>BankAccount.Open(...)</c>); nothing may be given.</summary>
    public AggregateScenario<TAggregate> WhenCreated(Func<TAggregate> create, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(create);
        return When((_, _) => ValueTask.FromResult(create()), description);
    }

    private AggregateScenario<TAggregate> When(Func<TAggregate, CancellationToken, ValueTask<TAggregate>> command, string? description)
    {
        if (_when is not null)
        {
            throw new InvalidOperationException("This scenario already has its When; start a new scenario for another command.");
        }

        _when = command;
        _whenText = description ?? _whenText;
        return this;
    }

    /// <summary>
    /// Runs the scenario and checks that exactly <paramref name="expected"/> were raised, in order (none: nothing was
    /// raised). Returns the aggregate after the command, for checks of its state.
    /// </summary>
    public async Task<TAggregate> Then(params object[] expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var (aggregate, error) = await RunAsync().ConfigureAwait(false);
        if (error is not null)
        {
            throw new SpecificationException($"Expected {_whenText} to raise:{Environment.NewLine}{Render(expected)}{Environment.NewLine}but it threw {error.GetType().Name}: {error.Message}", error);
        }

        AssertEvents(expected, aggregate!.UncommittedEvents, $"{typeof(TAggregate).Name} {_id}, {_whenText}");
        return aggregate;
    }

    /// <summary>Runs the scenario and checks that the command threw <typeparamref name="TException"/> (or a subtype); returns it.</summary>
    public async Task<TException> ThenThrows<TException>()
        where TException : Exception
    {
        var (aggregate, error) = await RunAsync().ConfigureAwait(false);
        return error switch
        {
            TException expected => expected,
            null => throw new SpecificationException($"Expected {_whenText} to throw {typeof(TException).Name}, but it succeeded and raised:{Environment.NewLine}{Render(aggregate!.UncommittedEvents)}"),
            _ => throw new SpecificationException($"Expected {_whenText} to throw {typeof(TException).Name}, but it threw {error.GetType().Name}: {error.Message}", error),
        };
    }

    private async Task<(TAggregate? Aggregate, Exception? Error)> RunAsync()
    {
        var when = _when ?? throw new InvalidOperationException("The scenario has no When: call When(...) or WhenCreated(...) before Then.");
        var ct = CancellationToken.None;
        var store = await NewStoreAsync(ct).ConfigureAwait(false);
        await using (store.ConfigureAwait(false))
        {
            var aggregate = await store.LoadOrCreateAsync<TAggregate>(_id, ct).ConfigureAwait(false);
            try
            {
                return (await when(aggregate, ct).ConfigureAwait(false), null);
            }
            catch (Exception ex)
            {
                return (null, ex);
            }
        }
    }
}
