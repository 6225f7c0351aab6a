using System.CommandLine;
using Eventuali.Tools.Diagrams;

namespace Eventuali.Cli.Commands;

/// <summary><c>eventuali diagram</c>: the event-flow graph of a store (commands, event types, sagas and their timed edges).</summary>
internal static class DiagramCommand
{
    public static Command Create(CliIo io)
    {
        var database = CommonOptions.Database();
        var category = new Option<string?>("--category") { Description = "Only streams whose id starts with this prefix (e.g. order-)." };
        var format = new Option<string>("--format", "-f") { Description = "mermaid (default), dot (Graphviz) or json (nodes, edges, slowest edges; the web UI's input).", DefaultValueFactory = _ => "mermaid" };
        format.AcceptOnlyFromAmong("mermaid", "dot", "json");

        var command = new Command("diagram", "Draw how events flow: commands (the 'command' header), event types, sagas (actor saga:NAME) and cause-to-effect edges (causation ids) with counts and latencies.")
        {
            database, category, format,
        };
        Examples.Add(command,
            "eventuali diagram -d sqlite://events.db --format mermaid > flow.mmd",
            "eventuali diagram --category order- --format dot | dot -Tsvg > flow.svg",
            "eventuali diagram --format json");
        command.SetAction(async (parse, ct) =>
        {
            var url = CommonOptions.ResolveDatabase(parse.GetValue(database), io);
            var prefix = parse.GetValue(category);
            var filter = string.IsNullOrEmpty(prefix) ? null : EventFilter.ForCategory(prefix);
            var store = await CommonOptions.OpenAsync(url, ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                var builder = new EventFlowGraphBuilder();
                await builder.AddAsync(store.ReadAllAsync(1, int.MaxValue, filter, ct), ct).ConfigureAwait(false);
                var graph = builder.Build();
                var text = parse.GetValue(format) switch
                {
                    "dot" => FlowRenderer.ToDot(graph),
                    "json" => FlowRenderer.ToJson(graph) + "\n",
                    _ => FlowRenderer.ToMermaid(graph),
                };
                await io.Out.WriteAsync(text).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
