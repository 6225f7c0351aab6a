using System.Diagnostics.CodeAnalysis;

namespace Eventuali.Typed;

/// <summary>
/// Base class for event-sourced aggregates. Raise events from business methods; state changes
/// happen in convention methods <c>Apply(TEvent e)</c> (any visibility), dispatched through
/// delegates compiled once per aggregate type. Events without an Apply method change nothing.
/// </summary>
// Apply methods and the snapshot contract are found by reflection: the trimmer keeps the methods and interfaces of every type derived from Aggregate.
[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods | DynamicallyAccessedMemberTypes.Interfaces)]
public abstract class Aggregate
{
    private readonly List<PendingEvent> _uncommitted = [];

    /// <summary>The aggregate's id; its stream is <c>{category}-{Id}</c>.</summary>
    public string Id { get; protected set; } = string.Empty;

    /// <summary>The version of the last stored event applied (0 for an aggregate never saved).</summary>
    public long Version { get; private set; }

    /// <summary>Events raised since the aggregate was loaded or last saved.</summary>
    public IReadOnlyList<object> UncommittedEvents => _uncommitted.ConvertAll(p => p.Event);

    internal IReadOnlyList<PendingEvent> Pending => _uncommitted;

    /// <summary>Applies <paramref name="event"/> and queues it for the next save. Its event id is fixed now, so a retried save is idempotent.</summary>
    protected void Raise(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        AggregateApplier.Apply(this, @event);
        _uncommitted.Add(new PendingEvent(@event, EventData.NewEventId()));
    }

    internal void Replay(object @event, long version)
    {
        AggregateApplier.Apply(this, @event);
        Version = version;
    }

    internal void MarkCommitted(long version)
    {
        _uncommitted.Clear();
        Version = version;
    }

    internal void InitializeId(string id)
    {
        if (string.IsNullOrEmpty(Id))
        {
            Id = id;
        }
    }

    internal readonly record struct PendingEvent(object Event, Guid EventId);
}
