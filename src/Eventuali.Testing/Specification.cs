using Eventuali.Cqrs;
using Eventuali.Projections;
using Eventuali.Sagas;
using Eventuali.Typed;

namespace Eventuali.Testing;

/// <summary>
/// Entry points of the Given/When/Then specifications. Each scenario runs on a fresh in-memory store whose clock is
/// a fake (<see cref="ScenarioBase{TSelf}.Clock"/>), so a specification is fast, isolated and repeatable.
/// </summary>
public static class Specification
{
    /// <summary>A specification of aggregate <typeparamref name="TAggregate"/> with id <paramref name="id"/>.</summary>
    public static AggregateScenario<TAggregate> For<TAggregate>(string id = "test-1")
        where TAggregate : Aggregate, new()
        => new(id);

    /// <summary>A specification of command handling: <paramref name="routes"/> registers the commands on a <see cref="CommandDispatcher"/>.</summary>
    public static CommandScenario ForCommands(Action<CommandDispatcher> routes) => new(routes);

    /// <summary>A specification of <paramref name="projection"/>: the events given are projected by a real daemon over the in-memory store.</summary>
    public static ProjectionScenario ForProjection(Projection projection) => new(projection);

    /// <summary>A specification of the saga <paramref name="saga"/>: a real runner handles the events and appends what it decides.</summary>
    public static SagaScenario<TState> ForSaga<TState>(SagaDefinition<TState> saga)
        where TState : class, new()
        => new(saga);
}
