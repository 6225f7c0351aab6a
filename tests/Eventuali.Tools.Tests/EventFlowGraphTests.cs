using System.Text.Json;
using Eventuali.Projections;
using Eventuali.Tools.Diagrams;
using Microsoft.Extensions.Time.Testing;
using static Eventuali.Tools.Tests.TestEvents;

namespace Eventuali.Tools.Tests;

public sealed class EventFlowGraphTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Balances : Projection
    {
        public Balances()
            : base("balances")
        {
            On("Deposited", (_, _, _) => ValueTask.CompletedTask);
        }
    }

    private static async Task<EventFlowGraph> BuildAsync()
    {
        var clock = new FakeTimeProvider(T0);
        await using var store = new InMemoryEventStore(EventStoreOptions.Default with { TimeProvider = clock });
        var command = new Dictionary<string, string> { [EventFlowGraphBuilder.CommandHeader] = "PlaceOrder" };
        for (var i = 0; i < 3; i++)
        {
            var placed = Guid.NewGuid();
            await store.AppendAsync($"order-{i}", ExpectedVersion.NoStream, [Json("OrderPlaced", "{}", new EventMetadata("c" + i, null, "alice", command), placed)], Ct);
            clock.Advance(TimeSpan.FromMilliseconds(100 * (i + 1)));
            await store.AppendAsync($"payment-{i}", ExpectedVersion.NoStream, [Json("PaymentRequested", "{}", new EventMetadata("c" + i, placed.ToString(), "saga:checkout"))], Ct);
            clock.Advance(TimeSpan.FromMilliseconds(10));
            await store.AppendAsync($"account-{i}", ExpectedVersion.Any, [Json("Deposited", "{}", new EventMetadata("c" + i, placed.ToString()))], Ct);
        }

        var builder = new EventFlowGraphBuilder().AddProjection(new Balances());
        await builder.AddAsync(store.ReadAllAsync(cancellationToken: Ct), Ct);
        return builder.Build();
    }

    [Fact]
    public async Task Commands_causation_sagas_and_projections_become_nodes_and_counted_timed_edges()
    {
        var graph = await BuildAsync();

        Assert.Equal(9, graph.EventsRead);
        Assert.Equal(
            ["command:PlaceOrder", "event:Deposited", "event:OrderPlaced", "event:PaymentRequested", "saga:checkout", "projection:balances"],
            graph.Nodes.Select(n => n.Id));
        Assert.Equal(3, graph.Nodes.Single(n => n.Id == "event:OrderPlaced").Count);
        var edges = graph.Edges.ToDictionary(e => (e.From, e.To));
        Assert.Equal(3, edges[("command:PlaceOrder", "event:OrderPlaced")].Count);
        Assert.Null(edges[("command:PlaceOrder", "event:OrderPlaced")].MaxLatency);
        var toSaga = edges[("event:OrderPlaced", "saga:checkout")];
        Assert.Equal((3L, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(300)), (toSaga.Count, toSaga.AverageLatency!.Value, toSaga.MaxLatency!.Value));
        Assert.Equal(3, edges[("saga:checkout", "event:PaymentRequested")].Count);
        Assert.Equal(TimeSpan.FromMilliseconds(310), edges[("event:OrderPlaced", "event:Deposited")].MaxLatency);
        Assert.Equal(3, edges[("event:Deposited", "projection:balances")].Count);
        Assert.Equal(("event:OrderPlaced", "event:Deposited"), (graph.SlowestEdges(1)[0].From, graph.SlowestEdges(1)[0].To));
    }

    [Fact]
    public async Task Mermaid_dot_and_json_render_every_node_and_edge()
    {
        var graph = await BuildAsync();

        var mermaid = FlowRenderer.ToMermaid(graph);
        Assert.StartsWith("flowchart LR\n", mermaid, StringComparison.Ordinal);
        Assert.Contains("[/\"PlaceOrder (3)\"/]", mermaid, StringComparison.Ordinal);
        Assert.Contains("{{\"saga checkout (3)\"}}", mermaid, StringComparison.Ordinal);
        Assert.Contains("|\"3 · avg 200 ms · max 300 ms\"|", mermaid, StringComparison.Ordinal);
        Assert.Equal(graph.Edges.Count, mermaid.Split("-->").Length - 1);

        var dot = FlowRenderer.ToDot(graph);
        Assert.StartsWith("digraph eventflow {", dot, StringComparison.Ordinal);
        Assert.Contains("\"projection:balances\" [shape=cylinder", dot, StringComparison.Ordinal);
        Assert.Equal(graph.Edges.Count, dot.Split(" -> ").Length - 1);

        using var json = JsonDocument.Parse(FlowRenderer.ToJson(graph));
        Assert.Equal(graph.Nodes.Count, json.RootElement.GetProperty("nodes").GetArrayLength());
        Assert.Equal(graph.Edges.Count, json.RootElement.GetProperty("edges").GetArrayLength());
        var slowest = json.RootElement.GetProperty("slowestEdges")[0];
        Assert.Equal(310, slowest.GetProperty("maxLatencyMs").GetDouble());
        Assert.Equal("saga", json.RootElement.GetProperty("nodes")[4].GetProperty("kind").GetString());
    }

    [Fact]
    public void Only_the_most_recent_causes_are_remembered()
    {
        var builder = new EventFlowGraphBuilder(maxTrackedCauses: 1);
        var first = Recorded("a-1", 1, "A", "{}", T0);
        builder.Add(first);
        builder.Add(Recorded("a-2", 1, "B", "{}", T0));
        builder.Add(first with { EventId = Guid.NewGuid(), EventType = "C", Metadata = new EventMetadata(CausationId: first.EventId.ToString()) });

        Assert.Empty(builder.Build().Edges);
    }
}
