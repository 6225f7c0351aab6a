using System.CommandLine;
using System.Globalization;
using Eventuali.Cli.Transfer;
using Eventuali.Import;

namespace Eventuali.Cli.Commands;

/// <summary><c>eventuali import</c>: writes an export file into a store, checked whole first; idempotent.</summary>
internal static class ImportCommand
{
    public static Command Create(CliIo io)
    {
        var database = CommonOptions.Database();
        var input = new Option<string>("--input", "-i") { Description = "The export file (JSON lines; gzip when it ends in .gz).", Required = true, HelpName = "file" };
        var durability = new Option<string>("--durability")
        {
            Description = "relaxed (default: fast; a power loss during or just after the import may drop its last writes, re-run it) or full (fsync every commit).",
            DefaultValueFactory = _ => "relaxed",
        };
        durability.AcceptOnlyFromAmong("full", "relaxed");
        var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object." };

        var command = new Command("import", "Import an export file: events keep their ids, versions, metadata and timestamps; positions come from the target. Re-importing adds nothing.")
        {
            database, input, durability, json,
        };
        Examples.Add(command, 
            "eventuali import -d postgresql://user:password@localhost/app --input events.jsonl",
            "eventuali import -d sqlite://copy.db -i backup.jsonl.gz --json");
        command.SetAction(async (parse, ct) =>
        {
            var url = CommonOptions.ResolveDatabase(parse.GetValue(database), io);
            var path = parse.GetRequiredValue(input);
            var import = new LogImport(path);
            try
            {
                // Check every line before opening the store: a bad file writes nothing anywhere.
                var (events, _) = await ProgressDisplay.RunAsync(io, "checking " + Path.GetFileName(path), null, p => import.ValidateAsync(p, ct)).ConfigureAwait(false);
                var options = new EventStoreOptions { Durability = parse.GetValue(durability) == "full" ? Durability.Full : Durability.Relaxed };
                var store = await EventStore.CreateAsync(url, options, ct).ConfigureAwait(false);
                await using (store.ConfigureAwait(false))
                {
                    var importer = store.GetFeature<IEventImporter>()
                        ?? throw new EventStoreConfigurationException($"The store {StoreLocation.Display(url)} cannot import events with their original timestamps.");
                    var head = await store.GetHeadPositionAsync(ct).ConfigureAwait(false);
                    var summary = await ProgressDisplay.RunAsync(io, "importing", events, p => import.WriteAsync(importer, head, p, ct)).ConfigureAwait(false);
                    await io.Out.WriteLineAsync(parse.GetValue(json)
                        ? Json.Object(w =>
                        {
                            w.WriteNumber("events", summary.Events);
                            w.WriteNumber("added", summary.Added);
                            w.WriteNumber("already_stored", summary.AlreadyStored);
                            w.WriteNumber("streams", summary.Streams);
                        })
                        : string.Create(CultureInfo.InvariantCulture, $"Imported {summary.Events} events of {summary.Streams} streams from {Path.GetFullPath(path)}: {summary.Added} added, {summary.AlreadyStored} already stored.")).ConfigureAwait(false);
                }
            }
            catch (ImportFileException ex)
            {
                throw new IOException($"{path}: {ex.Message}", ex);
            }
            catch (InvalidDataException ex)
            {
                throw new IOException($"{path}: not a readable gzip file ({ex.Message})", ex);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
