using Eventuali.InMemory;
using Eventuali.Typed;
using Microsoft.Extensions.Time.Testing;

namespace Eventuali.Testing;

/// <summary>What every scenario has: the fake clock, the event types, the events given, and the store they run on.</summary>
public abstract class ScenarioBase<TSelf>
    where TSelf : ScenarioBase<TSelf>
{
    private readonly List<(string StreamId, object[] Events)> _given = [];

    /// <summary>How long a scenario waits for a daemon or runner to catch up before failing (default 30 seconds).</summary>
    public TimeSpan Patience { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The fake clock the store runs on; advance it to move time in a scenario.</summary>
    public FakeTimeProvider Clock { get; } = TestClock.Create();

    /// <summary>The event types the scenario's store uses; attributed types register themselves, others with <c>WithTypes</c>.</summary>
    public EventTypeRegistry Types { get; private set; } = new();

    /// <summary>Configures the event types (names, aliases, upcasters), e.g. with the application's <see cref="IEventTypeSetup"/>.</summary>
    public TSelf WithTypes(Action<EventTypeRegistry> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(Types);
        return (TSelf)this;
    }

    /// <summary>Uses <paramref name="types"/> as the scenario's event types.</summary>
    public TSelf WithTypes(EventTypeRegistry types)
    {
        ArgumentNullException.ThrowIfNull(types);
        Types = types;
        return (TSelf)this;
    }

    /// <summary>Events already in stream <paramref name="streamId"/> before the scenario acts.</summary>
    public TSelf GivenStream(string streamId, params object[] events)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamId);
        ArgumentNullException.ThrowIfNull(events);
        _given.Add((streamId, events));
        return (TSelf)this;
    }

    /// <summary>A fresh in-memory store on <see cref="Clock"/> and <see cref="Types"/>, holding the events given.</summary>
    protected async Task<InMemoryEventStore> NewStoreAsync(CancellationToken cancellationToken)
    {
        var store = new InMemoryEventStore(new EventStoreOptions { Types = Types }.WithClock(Clock));
        foreach (var (streamId, events) in _given)
        {
            await AppendAsync(store, streamId, events, cancellationToken).ConfigureAwait(false);
        }

        return store;
    }

    /// <summary>Appends typed <paramref name="events"/> to <paramref name="streamId"/> after whatever it holds.</summary>
    protected async Task AppendAsync(IEventStore store, string streamId, IReadOnlyList<object> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (events.Count == 0)
        {
            return;
        }

        var data = events.Select(e => Types.ToEventData(e, timeProvider: Clock)).ToList();
        await store.AppendAsync(streamId, ExpectedVersion.Any, data, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The events in the global log after <paramref name="position"/>, read back as typed objects.</summary>
    protected async Task<List<object>> EventsAfterAsync(IEventStore store, long position, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var events = new List<object>();
        await foreach (var e in store.ReadAllAsync(position + 1, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            events.Add(Types.Deserialize(e));
        }

        return events;
    }

    /// <summary>Throws <see cref="SpecificationException"/> with the diff when <paramref name="actual"/> is not <paramref name="expected"/>.</summary>
    protected void AssertEvents(IReadOnlyList<object> expected, IReadOnlyList<object> actual, string what)
    {
        if (EventDiff.Explain(Types, expected, actual) is { } diff)
        {
            throw new SpecificationException($"{what}: {diff}");
        }
    }

    /// <summary>The events as readable lines, for messages.</summary>
    protected string Render(IReadOnlyList<object> events) => EventDiff.Render(Types, events);
}
