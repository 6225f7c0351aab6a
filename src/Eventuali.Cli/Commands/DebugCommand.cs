using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Eventuali.Tools.Debugging;
using Spectre.Console;

namespace Eventuali.Cli.Commands;

/// <summary><c>eventuali debug STREAM</c>: steps an aggregate, a projection or the raw payloads through a stream, event by event.</summary>
internal static class DebugCommand
{
    public static Command Create(CliIo io)
    {
        var database = CommonOptions.Database();
        var stream = new Argument<string>("stream") { Description = "The stream to step through (e.g. account-alice)." };
        var toVersion = NumberOptions.NullableLong("--to-version", 1, long.MaxValue);
        toVersion.Description = "Stop after this stream version (default: the end of the stream).";
        var aggregate = new Option<string?>("--aggregate") { Description = "Step this aggregate type (name or full name): from --assembly, or the built-in demo BankAccount without it." };
        var projection = new Option<string?>("--projection") { Description = "Step this projection type (a Projection with a public parameterless constructor) from --assembly." };
        var assembly = new Option<string?>("--assembly") { Description = "The .dll holding the aggregate or projection type (its Eventuali references resolve to the CLI's).", HelpName = "path" };
        var json = new Option<bool>("--json") { Description = "One JSON object per event (version, type, handler, state, changes) instead of the terminal view." };

        var command = new Command("debug", "Step through a stream event by event: the state after each event (JSON), what changed, and the handler that applied it. Without --aggregate or --projection the payloads are merged as the state.")
        {
            database, stream, toVersion, aggregate, projection, assembly, json,
        };
        Examples.Add(command,
            "eventuali debug account-alice -d sqlite://demo.db --aggregate BankAccount",
            "eventuali debug order-1001 --to-version 3",
            "eventuali debug order-1001 --assembly bin/Shop.dll --aggregate Shop.Order --json");
        command.SetAction(async (parse, ct) =>
        {
            var url = CommonOptions.ResolveDatabase(parse.GetValue(database), io);
            var streamId = parse.GetValue(stream)!;
            var store = await CommonOptions.OpenAsync(url, ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                var stepper = DebugTargets.Create(store, parse.GetValue(aggregate), parse.GetValue(projection), parse.GetValue(assembly));
                if (await store.GetStreamVersionAsync(streamId, ct).ConfigureAwait(false) is null)
                {
                    throw new EventualiException($"stream '{streamId}' does not exist.");
                }

                var steps = HandlerFailures(StreamDebugger.StepAsync(store, streamId, stepper, parse.GetValue(toVersion) ?? long.MaxValue, ct));
                if (parse.GetValue(json))
                {
                    await foreach (var step in steps.ConfigureAwait(false))
                    {
                        await io.Out.WriteLineAsync(ToJson(step)).ConfigureAwait(false);
                    }
                }
                else
                {
                    await RenderAsync(io, streamId, stepper, steps).ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A handler of the user's that throws is reported as a failure naming the handler and version, not as a crash of the tool.</summary>
    private static async IAsyncEnumerable<DebugStep> HandlerFailures(IAsyncEnumerable<DebugStep> steps)
    {
        var e = steps.GetAsyncEnumerator();
        await using (e.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await e.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (InvalidOperationException ex) when (ex.InnerException is not null)
                {
                    throw new EventualiException(ex.Message, ex);
                }

                yield return e.Current;
            }
        }
    }

    private static async Task RenderAsync(CliIo io, string streamId, IStateStepper stepper, IAsyncEnumerable<DebugStep> steps)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(io.Out),
            Ansi = io.OutIsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = io.OutIsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!io.OutIsTerminal)
        {
            console.Profile.Width = 120; // a pipe or file has no width; wide enough that JSON states rarely wrap
        }

        console.MarkupLine($"[bold]{Markup.Escape(streamId)}[/] stepped through [bold]{Markup.Escape(stepper.Name)}[/]; initial state {Markup.Escape(stepper.InitialState)}");
        var count = 0;
        await foreach (var step in steps.ConfigureAwait(false))
        {
            count++;
            var e = step.Event;
            console.Write(new Rule($"[yellow]v{e.StreamVersion}[/] {Markup.Escape(e.EventType)} [grey]@ {e.Timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}Z, position {e.Position}[/]") { Justification = Justify.Left });
            console.MarkupLine($"handler: [green]{Markup.Escape(step.Handler)}[/]");
            if (step.Changes.Count == 0)
            {
                console.MarkupLine("[grey]no change[/]");
            }
            else
            {
                var table = new Table().AddColumns("path", "change", "before", "after");
                foreach (var change in step.Changes)
                {
                    table.AddRow(Markup.Escape(change.Path), change.Kind.ToString().ToLowerInvariant(), Markup.Escape(change.Before ?? ""), Markup.Escape(change.After ?? ""));
                }

                console.Write(table);
            }

            console.MarkupLine($"state: {Markup.Escape(step.State)}");
        }

        console.MarkupLine($"{count} event(s) stepped.");
    }

    private static string ToJson(DebugStep step) => Json.Object(w =>
    {
        w.WriteNumber("version", step.Event.StreamVersion);
        w.WriteNumber("position", step.Event.Position);
        w.WriteString("eventType", step.Event.EventType);
        w.WriteString("timestamp", step.Event.Timestamp);
        w.WriteString("handler", step.Handler);
        w.WritePropertyName("state");
        using (var state = JsonDocument.Parse(step.State))
        {
            state.RootElement.WriteTo(w);
        }

        w.WriteStartArray("changes");
        foreach (var change in step.Changes)
        {
            w.WriteStartObject();
            w.WriteString("path", change.Path);
            w.WriteString("kind", change.Kind.ToString().ToLowerInvariant());
            WriteRaw(w, "before", change.Before);
            WriteRaw(w, "after", change.After);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    private static void WriteRaw(Utf8JsonWriter w, string name, string? json)
    {
        w.WritePropertyName(name);
        if (json is null)
        {
            w.WriteNullValue();
        }
        else
        {
            w.WriteRawValue(json);
        }
    }
}
