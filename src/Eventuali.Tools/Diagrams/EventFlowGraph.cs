namespace Eventuali.Tools.Diagrams;

/// <summary>What a node of an event-flow graph stands for.</summary>
public enum FlowNodeKind
{
    /// <summary>A command (named by the events' <c>command</c> header).</summary>
    Command,

    /// <summary>A stored event type.</summary>
    Event,

    /// <summary>A saga (events appended with actor <c>saga:NAME</c>, or registered).</summary>
    Saga,

    /// <summary>A projection (registered with its handled event types).</summary>
    Projection,
}

/// <summary>A node: a command, event type, saga or projection, and how many events went through it.</summary>
/// <param name="Id">A stable id, unique in the graph (<c>kind:name</c>).</param>
/// <param name="Kind">What it is.</param>
/// <param name="Name">Its name.</param>
/// <param name="Count">Events of this type (event nodes) or events handled or produced (others).</param>
public sealed record FlowNode(string Id, FlowNodeKind Kind, string Name, long Count);

/// <summary>An edge: events flowing from one node to another, with the time the hop took where the cause is known.</summary>
/// <param name="From">The source node's id.</param>
/// <param name="To">The target node's id.</param>
/// <param name="Count">How many times the hop happened.</param>
/// <param name="AverageLatency">Mean time from cause to effect (null when no hop had a known cause).</param>
/// <param name="MaxLatency">The slowest hop (null when no hop had a known cause).</param>
public sealed record FlowEdge(string From, string To, long Count, TimeSpan? AverageLatency, TimeSpan? MaxLatency);

/// <summary>
/// The event types of a store and the commands, sagas and projections that connect them, built by
/// <see cref="EventFlowGraphBuilder"/>; render it with <see cref="FlowRenderer"/>.
/// </summary>
/// <param name="Nodes">Nodes, ordered by kind then name.</param>
/// <param name="Edges">Edges, ordered by source then target.</param>
/// <param name="EventsRead">Events the graph was built from.</param>
public sealed record EventFlowGraph(IReadOnlyList<FlowNode> Nodes, IReadOnlyList<FlowEdge> Edges, long EventsRead)
{
    /// <summary>The <paramref name="count"/> edges with the largest maximum latency, slowest first.</summary>
    public IReadOnlyList<FlowEdge> SlowestEdges(int count = 5)
        => [.. Edges.Where(e => e.MaxLatency is not null).OrderByDescending(e => e.MaxLatency).ThenBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal).Take(count)];
}
