using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Eventuali.Tools.Diagrams;

/// <summary>Renders an <see cref="EventFlowGraph"/> as Mermaid, Graphviz DOT or JSON (the web UI's input).</summary>
public static class FlowRenderer
{
    /// <summary>A Mermaid flowchart: commands as parallelograms, events as boxes, sagas as hexagons, projections as cylinders.</summary>
    public static string ToMermaid(EventFlowGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var ids = ShortIds(graph);
        var sb = new StringBuilder("flowchart LR\n");
        foreach (var node in graph.Nodes)
        {
            var label = MermaidText($"{Label(node)} ({node.Count})");
            var (open, close) = node.Kind switch
            {
                FlowNodeKind.Command => ("[/\"", "\"/]"),
                FlowNodeKind.Saga => ("{{\"", "\"}}"),
                FlowNodeKind.Projection => ("[(\"", "\")]"),
                _ => ("[\"", "\"]"),
            };
            sb.Append("  ").Append(ids[node.Id]).Append(open).Append(label).Append(close).Append('\n');
        }

        foreach (var edge in graph.Edges)
        {
            sb.Append("  ").Append(ids[edge.From]).Append(" -->|\"").Append(MermaidText(EdgeLabel(edge))).Append("\"| ").Append(ids[edge.To]).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>A Graphviz digraph (render with <c>dot -Tsvg</c>).</summary>
    public static string ToDot(EventFlowGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var sb = new StringBuilder("digraph eventflow {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n");
        foreach (var node in graph.Nodes)
        {
            var shape = node.Kind switch
            {
                FlowNodeKind.Command => "parallelogram",
                FlowNodeKind.Saga => "hexagon",
                FlowNodeKind.Projection => "cylinder",
                _ => "box",
            };
            sb.Append("  ").Append(DotText(node.Id)).Append(" [shape=").Append(shape).Append(", label=").Append(DotText($"{Label(node)}\n{node.Count}")).Append("];\n");
        }

        foreach (var edge in graph.Edges)
        {
            sb.Append("  ").Append(DotText(edge.From)).Append(" -> ").Append(DotText(edge.To)).Append(" [label=").Append(DotText(EdgeLabel(edge))).Append("];\n");
        }

        return sb.Append("}\n").ToString();
    }

    /// <summary>The graph as JSON: <c>nodes</c>, <c>edges</c> (latencies in milliseconds) and the five <c>slowestEdges</c>.</summary>
    public static string ToJson(EventFlowGraph graph, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(graph);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            json.WriteStartObject();
            json.WriteNumber("eventsRead", graph.EventsRead);
            json.WriteStartArray("nodes");
            foreach (var node in graph.Nodes)
            {
                json.WriteStartObject();
                json.WriteString("id", node.Id);
                json.WriteString("kind", node.Kind.ToString().ToLowerInvariant());
                json.WriteString("name", node.Name);
                json.WriteNumber("count", node.Count);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteEdges(json, "edges", graph.Edges);
            WriteEdges(json, "slowestEdges", graph.SlowestEdges());
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteEdges(Utf8JsonWriter json, string name, IEnumerable<FlowEdge> edges)
    {
        json.WriteStartArray(name);
        foreach (var edge in edges)
        {
            json.WriteStartObject();
            json.WriteString("from", edge.From);
            json.WriteString("to", edge.To);
            json.WriteNumber("count", edge.Count);
            if (edge.AverageLatency is { } average && edge.MaxLatency is { } max)
            {
                json.WriteNumber("avgLatencyMs", Millis3(average));
                json.WriteNumber("maxLatencyMs", Millis3(max));
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>Milliseconds to the microsecond, as a decimal so that JSON shows exactly that (no binary fraction noise).</summary>
    private static decimal Millis3(TimeSpan t) => decimal.Round((decimal)t.Ticks / TimeSpan.TicksPerMillisecond, 3);

    private static string Label(FlowNode node) => node.Kind switch
    {
        FlowNodeKind.Saga => "saga " + node.Name,
        FlowNodeKind.Projection => "projection " + node.Name,
        _ => node.Name,
    };

    private static string EdgeLabel(FlowEdge edge)
        => edge.MaxLatency is { } max && edge.AverageLatency is { } average
            ? string.Create(CultureInfo.InvariantCulture, $"{edge.Count} · avg {Millis(average)} · max {Millis(max)}")
            : edge.Count.ToString(CultureInfo.InvariantCulture);

    private static string Millis(TimeSpan t) => t.TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture) + " ms";

    /// <summary>Mermaid ids must be plain words: n0, n1, ... in node order.</summary>
    private static Dictionary<string, string> ShortIds(EventFlowGraph graph)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            ids[node.Id] = "n" + ids.Count.ToString(CultureInfo.InvariantCulture);
        }

        return ids;
    }

    /// <summary>Mermaid labels are quoted; a quote inside becomes its entity code.</summary>
    private static string MermaidText(string text) => text.Replace("\"", "#quot;", StringComparison.Ordinal);

    private static string DotText(string text)
        => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
