using System.CommandLine;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Eventuali.Cli.Commands;

/// <summary><c>eventuali query</c>: events by stream and version range, type, category and time, as a table, JSON or JSON lines.</summary>
internal static class QueryCommand
{
    public static Command Create(CliIo io)
    {
        var database = CommonOptions.Database();
        var stream = new Option<string?>("--stream", "-s", "--aggregate-id") { Description = "Only this stream (an aggregate's stream id)." };
        var fromVersion = new Option<long?>("--from-version") { Description = "With --stream: first version (inclusive)." };
        var toVersion = new Option<long?>("--to-version") { Description = "With --stream: last version (inclusive)." };
        var types = new Option<string[]>("--type", "-t") { Description = "Only events of this type (repeat for several).", Arity = ArgumentArity.ZeroOrMore };
        var category = new Option<string?>("--category") { Description = "Only streams whose id starts with this prefix (e.g. account-)." };
        var since = TimeOption("--since", "Only events written at or after this time (ISO-8601, UTC unless an offset is given).");
        var until = TimeOption("--until", "Only events written before this time (ISO-8601, UTC unless an offset is given).");
        var maxCount = NumberOptions.NullableInt("--max-count", "-n", 1, int.MaxValue);
        maxCount.Description = "At most this many events.";
        var json = new Option<bool>("--json") { Description = "One JSON array of events." };
        var jsonl = new Option<bool>("--jsonl") { Description = "JSON lines, one event per line (the default when stdout is not a terminal)." };
        var table = new Option<bool>("--table") { Description = "A table (the default on a terminal)." };

        var command = new Command("query", "Find events by stream and version range, type, category and time range; print a table, JSON or JSON lines.")
        {
            database, stream, fromVersion, toVersion, types, category, since, until, maxCount, json, jsonl, table,
        };
        Examples.Add(command, 
            "eventuali query -d sqlite://events.db --stream order-1001 --from-version 2 --to-version 5",
            "eventuali query -d sqlite://events.db --category order- --type order-paid --since 2026-11-01T00:00:00Z --json",
            "eventuali query -d sqlite://events.db --aggregate-id account-alice --table");
        command.SetAction(async (parse, ct) =>
        {
            var streamId = parse.GetValue(stream);
            if (streamId is null && (parse.GetValue(fromVersion) is not null || parse.GetValue(toVersion) is not null))
            {
                throw new UsageException("--from-version and --to-version need --stream.");
            }

            if (streamId is not null && parse.GetValue(category) is not null)
            {
                throw new UsageException("--category cannot be used with --stream.");
            }

            var formats = new[] { parse.GetValue(json), parse.GetValue(jsonl), parse.GetValue(table) }.Count(x => x);
            if (formats > 1)
            {
                throw new UsageException("Choose one of --json, --jsonl and --table.");
            }

            var max = parse.GetValue(maxCount) ?? int.MaxValue;
            if (max < 0)
            {
                throw new UsageException($"--max-count must be 0 or more; got {max}.");
            }

            var query = new EventQuery(streamId, parse.GetValue(fromVersion) ?? 1, parse.GetValue(toVersion) ?? long.MaxValue, parse.GetValue(types) ?? [], parse.GetValue(category), parse.GetValue(since), parse.GetValue(until));
            var output = parse.GetValue(json) ? QueryOutput.Json
                : parse.GetValue(table) || (!parse.GetValue(jsonl) && io.OutIsTerminal) ? QueryOutput.Table
                : QueryOutput.JsonLines;
            var url = CommonOptions.ResolveDatabase(parse.GetValue(database), io);
            var store = await CommonOptions.OpenAsync(url, ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                var events = Take(query.RunAsync(store, ct), max, ct);
                await QueryOutput.WriteAsync(io.Out, output, events, ct).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Option<DateTimeOffset?> TimeOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "time",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            {
                return time;
            }

            result.AddError($"{name} '{text}' is not a time: use ISO-8601, e.g. 2026-11-01 or 2026-11-01T08:00:00+01:00.");
            return null;
        },
    };

    private static async IAsyncEnumerable<RecordedEvent> Take(IAsyncEnumerable<RecordedEvent> events, int max, [EnumeratorCancellation] CancellationToken ct)
    {
        if (max == 0)
        {
            yield break;
        }

        var n = 0;
        await foreach (var e in events.WithCancellation(ct).ConfigureAwait(false))
        {
            yield return e;
            if (++n == max)
            {
                yield break;
            }
        }
    }

    /// <summary>What to find. Stream and category narrow the read in the store; type, versions and times are checked per event.</summary>
    private sealed record EventQuery(string? StreamId, long FromVersion, long ToVersion, string[] Types, string? Category, DateTimeOffset? Since, DateTimeOffset? Until)
    {
        public async IAsyncEnumerable<RecordedEvent> RunAsync(IEventStore store, [EnumeratorCancellation] CancellationToken ct)
        {
            var events = StreamId is not null
                ? store.ReadStreamAsync(StreamId, Math.Max(FromVersion, 1), int.MaxValue, ReadDirection.Forward, ct)
                : store.ReadAllAsync(1, int.MaxValue, Types.Length == 0 && string.IsNullOrEmpty(Category) ? null : new EventFilter { EventTypes = Types.Length == 0 ? null : Types, StreamIdPrefix = string.IsNullOrEmpty(Category) ? null : Category }, ct);
            await foreach (var e in events.ConfigureAwait(false))
            {
                if (e.StreamVersion > ToVersion)
                {
                    yield break;
                }

                if ((Types.Length == 0 || Types.Contains(e.EventType, StringComparer.Ordinal))
                    && (Since is null || e.Timestamp >= Since) && (Until is null || e.Timestamp < Until))
                {
                    yield return e;
                }
            }
        }
    }
}

/// <summary>The three output forms of <c>query</c>, all streaming (a table row is printed as soon as it is read).</summary>
internal static class QueryOutput
{
    public const int Json = 0;
    public const int JsonLines = 1;
    public const int Table = 2;

    public static async Task WriteAsync(TextWriter output, int form, IAsyncEnumerable<RecordedEvent> events, CancellationToken ct)
    {
        var line = new EventJsonLine();
        var first = true;
        if (form == Json)
        {
            await output.WriteAsync('[').ConfigureAwait(false);
        }
        else if (form == Table)
        {
            await output.WriteLineAsync(Row("POSITION", "STREAM", "VERSION", "TYPE", "TIMESTAMP (UTC)", "DATA")).ConfigureAwait(false);
        }

        var rows = 0;
        await foreach (var e in events.WithCancellation(ct).ConfigureAwait(false))
        {
            rows++;
            switch (form)
            {
                case Json:
                    await output.WriteAsync((first ? "\n" : ",\n") + line.Format(e)).ConfigureAwait(false);
                    break;
                case JsonLines:
                    await output.WriteLineAsync(line.Format(e)).ConfigureAwait(false);
                    break;
                default:
                    await output.WriteLineAsync(Row(
                        e.Position.ToString(CultureInfo.InvariantCulture),
                        e.StreamId,
                        e.StreamVersion.ToString(CultureInfo.InvariantCulture),
                        e.EventType,
                        e.Timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
                        Data(e))).ConfigureAwait(false);
                    break;
            }

            first = false;
        }

        if (form == Json)
        {
            await output.WriteLineAsync(first ? "]" : "\n]").ConfigureAwait(false);
        }
        else if (form == Table)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"({rows} event{(rows == 1 ? "" : "s")})")).ConfigureAwait(false);
        }
    }

    private static string Row(string position, string stream, string version, string type, string time, string data)
        => $"{Fit(position, 12),12}  {Fit(stream, 28),-28}  {Fit(version, 7),7}  {Fit(type, 24),-24}  {time,-26}  {data}";

    private static string Data(RecordedEvent e)
    {
        var text = ContentTypes.IsJson(e.ContentType)
            ? System.Text.Encoding.UTF8.GetString(e.Data.Span).ReplaceLineEndings(" ")
            : $"<{e.ContentType}, {e.Data.Length} bytes>";
        return Fit(text, 60);
    }

    private static string Fit(string text, int width) => text.Length <= width ? text : string.Concat(text.AsSpan(0, width - 1), "…");
}
