using Eventuali.Projections;

namespace Eventuali.Tools.Diagrams;

/// <summary>
/// Builds an <see cref="EventFlowGraph"/> from events and registered handlers:
/// an event whose <c>command</c> header names a command gets an edge from that command;
/// an event whose causation id is the id of an event already seen gets an edge from the cause's type, timed;
/// an event appended by a saga (actor <c>saga:NAME</c>, as sagas append) goes through that saga's node;
/// a registered projection or saga gets an edge from every event type it handles.
/// Only the most recent <c>maxTrackedCauses</c> event ids are remembered as possible causes, bounding memory.
/// </summary>
public sealed class EventFlowGraphBuilder
{
    /// <summary>The metadata header that names the command an event came from.</summary>
    public const string CommandHeader = "command";

    private const string SagaActorPrefix = "saga:";
    private readonly int _maxTrackedCauses;
    private readonly Dictionary<Guid, (string Type, DateTimeOffset At)> _causes = [];
    private readonly Queue<Guid> _causeOrder = new();
    private readonly Dictionary<string, FlowNode> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string From, string To), EdgeTotals> _edges = [];
    private readonly List<(FlowNodeKind Kind, string Name, IReadOnlyCollection<string> EventTypes)> _handlers = [];
    private readonly Dictionary<string, long> _typeCounts = new(StringComparer.Ordinal);
    private long _events;

    /// <summary>Creates a builder remembering up to <paramref name="maxTrackedCauses"/> recent event ids as causes.</summary>
    public EventFlowGraphBuilder(int maxTrackedCauses = 1_000_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTrackedCauses, 1);
        _maxTrackedCauses = maxTrackedCauses;
    }

    /// <summary>Adds a projection: an edge from each event type it handles.</summary>
    public EventFlowGraphBuilder AddProjection(Projection projection)
    {
        ArgumentNullException.ThrowIfNull(projection);
        return AddHandler(FlowNodeKind.Projection, projection.Name, projection.EventTypes);
    }

    /// <summary>Adds a handler (a saga, projection or other subscriber) of <paramref name="eventTypes"/>.</summary>
    public EventFlowGraphBuilder AddHandler(FlowNodeKind kind, string name, IEnumerable<string> eventTypes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(eventTypes);
        if (kind is not (FlowNodeKind.Saga or FlowNodeKind.Projection))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "A registered handler is a saga or a projection.");
        }

        _handlers.Add((kind, name, [.. eventTypes]));
        return this;
    }

    /// <summary>Adds one event of the log (feed them in log order).</summary>
    public void Add(RecordedEvent recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        _events++;
        var type = recorded.EventType;
        var target = Node(FlowNodeKind.Event, type);
        _typeCounts[type] = _typeCounts.GetValueOrDefault(type) + 1;

        if (recorded.Metadata.Headers?.GetValueOrDefault(CommandHeader) is { Length: > 0 } command)
        {
            Edge(Node(FlowNodeKind.Command, command), target, null);
        }

        (string Type, DateTimeOffset At)? cause = Guid.TryParse(recorded.Metadata.CausationId, out var causeId) && _causes.TryGetValue(causeId, out var c) ? c : null;
        var latency = cause is { } known ? recorded.Timestamp - known.At : (TimeSpan?)null;
        if (recorded.Metadata.ActorId is { } actor && actor.StartsWith(SagaActorPrefix, StringComparison.Ordinal) && actor.Length > SagaActorPrefix.Length)
        {
            var saga = Node(FlowNodeKind.Saga, actor[SagaActorPrefix.Length..]);
            if (cause is { } known2)
            {
                Edge(Node(FlowNodeKind.Event, known2.Type, increment: false), saga, latency);
            }

            Edge(saga, target, latency);
        }
        else if (cause is { } known3)
        {
            Edge(Node(FlowNodeKind.Event, known3.Type, increment: false), target, latency);
        }

        Remember(recorded);
    }

    /// <summary>Adds every event of <paramref name="events"/>.</summary>
    public async Task AddAsync(IAsyncEnumerable<RecordedEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            Add(e);
        }
    }

    /// <summary>The graph of what was added so far.</summary>
    public EventFlowGraph Build()
    {
        var nodes = new Dictionary<string, FlowNode>(_nodes, StringComparer.Ordinal);
        var edges = _edges.ToDictionary(e => e.Key, e => e.Value.ToEdge(e.Key.From, e.Key.To));
        foreach (var (kind, name, types) in _handlers)
        {
            var handlerId = Id(kind, name);
            long handled = 0;
            foreach (var type in types)
            {
                var count = _typeCounts.GetValueOrDefault(type);
                handled += count;
                var typeId = Id(FlowNodeKind.Event, type);
                nodes.TryAdd(typeId, new FlowNode(typeId, FlowNodeKind.Event, type, 0));
                edges[(typeId, handlerId)] = edges.TryGetValue((typeId, handlerId), out var existing)
                    ? existing with { Count = Math.Max(existing.Count, count) }
                    : new FlowEdge(typeId, handlerId, count, null, null);
            }

            nodes[handlerId] = nodes.TryGetValue(handlerId, out var node) ? node with { Count = node.Count + handled } : new FlowNode(handlerId, kind, name, handled);
        }

        return new EventFlowGraph(
            [.. nodes.Values.OrderBy(n => n.Kind).ThenBy(n => n.Name, StringComparer.Ordinal)],
            [.. edges.Values.OrderBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal)],
            _events);
    }

    internal static string Id(FlowNodeKind kind, string name) => kind switch
    {
        FlowNodeKind.Command => "command:",
        FlowNodeKind.Event => "event:",
        FlowNodeKind.Saga => "saga:",
        _ => "projection:",
    } + name;

    private string Node(FlowNodeKind kind, string name, bool increment = true)
    {
        var id = Id(kind, name);
        var add = increment ? 1 : 0;
        _nodes[id] = _nodes.TryGetValue(id, out var node) ? node with { Count = node.Count + add } : new FlowNode(id, kind, name, add);
        return id;
    }

    private void Edge(string from, string to, TimeSpan? latency)
    {
        if (!_edges.TryGetValue((from, to), out var totals))
        {
            totals = new EdgeTotals();
            _edges.Add((from, to), totals);
        }

        totals.Add(latency);
    }

    private void Remember(RecordedEvent recorded)
    {
        if (_causes.TryAdd(recorded.EventId, (recorded.EventType, recorded.Timestamp)))
        {
            _causeOrder.Enqueue(recorded.EventId);
            if (_causeOrder.Count > _maxTrackedCauses)
            {
                _causes.Remove(_causeOrder.Dequeue());
            }
        }
    }

    private sealed class EdgeTotals
    {
        private long _count;
        private long _timed;
        private long _totalTicks;
        private long _maxTicks = long.MinValue;

        public void Add(TimeSpan? latency)
        {
            _count++;
            if (latency is { } l)
            {
                _timed++;
                _totalTicks += l.Ticks;
                _maxTicks = Math.Max(_maxTicks, l.Ticks);
            }
        }

        public FlowEdge ToEdge(string from, string to)
            => _timed == 0
                ? new FlowEdge(from, to, _count, null, null)
                : new FlowEdge(from, to, _count, TimeSpan.FromTicks(_totalTicks / _timed), TimeSpan.FromTicks(_maxTicks));
    }
}
