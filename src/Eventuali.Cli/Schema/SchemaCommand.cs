using System.CommandLine;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Eventuali.Typed;

namespace Eventuali.Cli.Schema;

/// <summary>
/// <c>eventuali schema snapshot|check|upcast</c>: records the application's event type shapes in a committed file,
/// checks the code and the stored events against it (exit code 1 on a breaking change, for CI), and runs the
/// registered upcasters over the stored events without writing anything.
/// </summary>
internal static class SchemaCommand
{
    public static Command Create(CliIo io)
    {
        var command = new Command("schema", "Record event type shapes, check code and stored events against them, dry-run upcasters.")
        {
            Snapshot(io), Check(io), Upcast(io),
        };
        return command;
    }

    private static Option<string> AssemblyOption() => new("--assembly", "-a")
    {
        Description = "The application's built .dll: its public IEventTypeSetup classes register the event types (without one, every [EventType] class).",
        Required = true,
        HelpName = "path",
    };

    private static Option<string> SchemaOption(string description) => new("--schema", "-s")
    {
        Description = description,
        DefaultValueFactory = _ => SchemaFile.DefaultPath,
        HelpName = "file",
    };

    private static Command Snapshot(CliIo io)
    {
        var assembly = AssemblyOption();
        var output = SchemaOption($"Where to write the schema file (default {SchemaFile.DefaultPath}); commit it.");
        output.Aliases.Add("--output");
        output.Aliases.Add("-o");
        var command = new Command("snapshot", "Record every registered event type's shape (name, CLR type, version, fields; JSON Schema or protobuf fields) in the schema file.") { assembly, output };
        Examples.Add(command, "eventuali schema snapshot --assembly bin/Release/net10.0/MyApp.dll --output eventuali.schema.json");
        command.SetAction(async (parse, ct) =>
        {
            var snapshot = ReadCode(parse.GetRequiredValue(assembly));
            var path = parse.GetRequiredValue(output);
            var temp = path + ".tmp";
            await File.WriteAllTextAsync(temp, SchemaFile.ToJson(snapshot), ct).ConfigureAwait(false);
            File.Move(temp, path, overwrite: true);
            await io.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Recorded {snapshot.Types.Count} event type(s) in {path}.")).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Check(CliIo io)
    {
        var assembly = AssemblyOption();
        var schema = SchemaOption($"The committed schema file (default {SchemaFile.DefaultPath}).");
        var database = CommonOptions.Database();
        database.Description = "Also check the stored events of this store (every event's type and fields; the first events of each type fully read).";
        var sample = NumberOptions.Int("--sample", null, 0, int.MaxValue, 1000);
        sample.Description = "How many events of each type to deserialize fully (default 1000).";
        var command = new Command("check", "Compare the code's event types with the schema file and, with --database, the stored events with both. Exit code 1 on a breaking change: a removed or retyped field without an upcaster, a renamed type without an alias, a stored type no code reads.")
        {
            assembly, schema, database, sample,
        };
        Examples.Add(command, "eventuali schema check --assembly bin/Release/net10.0/MyApp.dll", "eventuali schema check --assembly bin/Release/net10.0/MyApp.dll -d sqlite://events.db");
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetRequiredValue(schema);
            var recorded = SchemaFile.Read(path);
            var types = LoadTypes(parse.GetRequiredValue(assembly));
            var code = Read(types);
            var findings = SchemaDiff.Compare(recorded, code);
            var scope = $"code vs {path}";
            if (parse.GetValue(database) is { } url)
            {
                var clock = Stopwatch.StartNew();
                var store = await CommonOptions.OpenAsync(url, ct).ConfigureAwait(false);
                await using (store.ConfigureAwait(false))
                {
                    var scan = new StoredEventScan(types, recorded, code, parse.GetValue(sample));
                    findings.AddRange(await scan.RunAsync(store, _ => { }, ct).ConfigureAwait(false));
                    scope += string.Create(CultureInfo.InvariantCulture, $"; {scan.Events:N0} stored events in {StoreLocation.Display(url)} checked in {clock.Elapsed.TotalSeconds:0.0} s");
                }
            }

            return await ReportAsync(io, findings, scope).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Upcast(CliIo io)
    {
        var assembly = AssemblyOption();
        var database = CommonOptions.Database();
        var dryRun = new Option<bool>("--dry-run") { Description = "Required: read and upcast, write nothing (upcasters run on read; stored events are never rewritten)." };
        var command = new Command("upcast", "Run the registered upcasters over the stored events of the types they upcast, and report the events that fail.") { assembly, database, dryRun };
        Examples.Add(command, "eventuali schema upcast --dry-run --assembly bin/Release/net10.0/MyApp.dll -d sqlite://events.db");
        command.SetAction(async (parse, ct) =>
        {
            if (!parse.GetValue(dryRun))
            {
                throw new UsageException("schema upcast only runs with --dry-run: upcasters run when events are read, and stored events are never rewritten.");
            }

            var types = LoadTypes(parse.GetRequiredValue(assembly));
            var url = CommonOptions.ResolveDatabase(parse.GetValue(database), io);
            var store = await CommonOptions.OpenAsync(url, ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                return await UpcastDryRun.RunAsync(io, types, store, ct).ConfigureAwait(false);
            }
        });
        return command;
    }

    private static async Task<int> ReportAsync(CliIo io, List<SchemaFinding> findings, string scope)
    {
        var breaking = findings.Count(f => f.Severity == FindingSeverity.Breaking);
        var warnings = findings.Count(f => f.Severity == FindingSeverity.Warning);
        var c = CultureInfo.InvariantCulture;
        await io.Out.WriteLineAsync(string.Create(c, $"schema check: {breaking} breaking, {warnings} warning(s), {findings.Count - breaking - warnings} compatible change(s) ({scope})")).ConfigureAwait(false);
        foreach (var f in findings.OrderByDescending(f => f.Severity).ThenBy(f => f.EventType, StringComparer.Ordinal))
        {
            var label = f.Severity switch { FindingSeverity.Breaking => "BREAKING", FindingSeverity.Warning => "warning ", _ => "ok      " };
            await io.Out.WriteLineAsync($"{label} {f.EventType}: {f.Message}").ConfigureAwait(false);
            if (f.Suggestion is not null)
            {
                await io.Out.WriteLineAsync($"         suggestion: {f.Suggestion}").ConfigureAwait(false);
            }
        }

        return breaking > 0 ? ExitCodes.Failure : ExitCodes.Success;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "UserAssembly.Load refuses to run without dynamic code, i.e. in a trimmed or Native AOT build.")]
    internal static EventTypeRegistry LoadTypes(string assemblyPath) => UserAssembly.Load(assemblyPath).Types();

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only reached after LoadTypes, which refuses to run in a trimmed or Native AOT build.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Only reached after LoadTypes, which refuses to run in a trimmed or Native AOT build.")]
    internal static SchemaSnapshot Read(EventTypeRegistry types) => SchemaReader.Read(types);

    private static SchemaSnapshot ReadCode(string assemblyPath) => Read(LoadTypes(assemblyPath));
}
