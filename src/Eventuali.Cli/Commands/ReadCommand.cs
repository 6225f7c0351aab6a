using System.CommandLine;

namespace Eventuali.Cli.Commands;

/// <summary><c>eventuali read</c>: prints a stream or the global log as JSON lines, streaming (never buffering the whole read).</summary>
internal static class ReadCommand
{
    public static Command Create(CliIo io)
    {
        var database = CommonOptions.Database();
        var stream = new Option<string?>("--stream", "-s") { Description = "Read this stream." };
        var all = new Option<bool>("--all") { Description = "Read the global log (every stream, in position order)." };
        var fromVersion = new Option<long?>("--from-version") { Description = "Stream read: first version to return (default: 1, or the newest with --backward)." };
        var backward = new Option<bool>("--backward") { Description = "Stream read: newest first." };
        var fromPosition = new Option<long>("--from-position") { Description = "Global read: first position to return (inclusive).", DefaultValueFactory = _ => 1 };
        var maxCount = NumberOptions.NullableInt("--max-count", "-n", 1, int.MaxValue);
        maxCount.Description = "Return at most this many events.";
        var types = new Option<string[]>("--type", "-t") { Description = "Global read: only events of this type (repeat for several).", Arity = ArgumentArity.ZeroOrMore };
        var category = new Option<string?>("--category") { Description = "Global read: only streams whose id starts with this prefix (e.g. account-)." };

        var command = new Command("read", "Print a stream (--stream S) or the global log (--all) as JSON lines, one event per line.")
        {
            database, stream, all, fromVersion, backward, fromPosition, maxCount, types, category,
        };
        Examples.Add(command, "eventuali read -d sqlite://events.db --stream order-1001", "eventuali read --all --category order- --type order-paid --max-count 10", "eventuali read --stream order-1001 --backward --max-count 1");
        command.SetAction(async (parse, ct) =>
        {
            var streamId = parse.GetValue(stream);
            var readAll = parse.GetValue(all);
            if ((streamId is null) == !readAll)
            {
                throw new UsageException("read needs exactly one of --stream S or --all.");
            }

            if (readAll)
            {
                RefuseFor("--all", parse, fromVersion, backward);
            }
            else
            {
                RefuseFor("--stream", parse, fromPosition, types, category);
            }

            var max = parse.GetValue(maxCount) ?? int.MaxValue;
            if (max < 0)
            {
                throw new UsageException($"--max-count must be 0 or more; got {max}.");
            }

            IAsyncEnumerable<RecordedEvent> events;
            var url = CommonOptions.ResolveDatabase(parse.GetValue(database), io);
            var store = await CommonOptions.OpenAsync(url, ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                if (streamId is not null)
                {
                    var back = parse.GetValue(backward);
                    var from = parse.GetValue(fromVersion) ?? (back ? StreamVersion.End : StreamVersion.Start);
                    events = store.ReadStreamAsync(streamId, from, max, back ? ReadDirection.Backward : ReadDirection.Forward, ct);
                }
                else
                {
                    var typeList = parse.GetValue(types) ?? [];
                    var prefix = parse.GetValue(category);
                    var filter = typeList.Length == 0 && string.IsNullOrEmpty(prefix)
                        ? null
                        : new EventFilter { EventTypes = typeList.Length == 0 ? null : typeList, StreamIdPrefix = string.IsNullOrEmpty(prefix) ? null : prefix };
                    events = store.ReadAllAsync(parse.GetValue(fromPosition), max, filter, ct);
                }

                var line = new EventJsonLine();
                await foreach (var e in events.ConfigureAwait(false))
                {
                    await io.Out.WriteLineAsync(line.Format(e)).ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void RefuseFor(string mode, System.CommandLine.ParseResult parse, params Option[] notAllowed)
    {
        foreach (var option in notAllowed)
        {
            if (parse.GetResult(option) is { Implicit: false })
            {
                throw new UsageException($"{option.Name} cannot be used with read {mode}.");
            }
        }
    }
}
