using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Eventuali.Cli.Commands;

/// <summary>
/// <c>eventuali verify</c>: reads the whole log once (streaming; memory grows only by one entry per stream) and checks
/// positions strictly increasing, each stream's versions contiguous from its first stored version, and JSON payloads parsing.
/// </summary>
internal static class VerifyCommand
{
    /// <summary>Problems listed in full; beyond this only counted.</summary>
    public const int MaxListed = 100;

    public static Command Create(CliIo io)
    {
        var database = CommonOptions.Database();
        var json = new Option<bool>("--json") { Description = "Print one JSON object: ok, events, streams, problems." };
        var chain = new Option<bool>("--chain") { Description = "Check the tamper-evident log instead: seal it, then report every position where the chain or a checkpoint does not match (exit 3)." };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "With --chain: also check against this exported checkpoint file (needs the key file).", HelpName = "file" };
        var command = new Command("verify", "Check the store's integrity: positions strictly increasing, each stream's versions contiguous, payloads readable. Exit 1 naming every problem found.")
        {
            database, json, chain, checkpoint,
        };
        Examples.Add(command, "eventuali verify -d sqlite://events.db", "eventuali verify -d sqlite://events.db --json || echo damaged", "eventuali verify --chain -d sqlite://events.db --key-file keys.json --checkpoint /safe/place/checkpoint.json");
        command.SetAction(async (parse, ct) =>
        {
            var url = CommonOptions.ResolveDatabase(parse.GetValue(database), io);
            if (parse.GetValue(chain))
            {
                return await ChainVerification.RunAsync(io, url, parse.GetValue(checkpoint), KeyFileOption.Path, parse.GetValue(json), ct).ConfigureAwait(false);
            }

            if (parse.GetValue(checkpoint) is not null)
            {
                throw new UsageException("--checkpoint is checked by 'verify --chain'; add --chain.");
            }

            var store = await CommonOptions.OpenAsync(url, ct).ConfigureAwait(false);
            var check = new LogCheck();
            await using (store.ConfigureAwait(false))
            {
                await ProgressDisplay.RunAsync(io, "verifying", null, async progress =>
                {
                    try
                    {
                        await foreach (var e in store.ReadAllAsync(1, int.MaxValue, null, ct).ConfigureAwait(false))
                        {
                            check.Add(e);
                            if (check.Events % 1000 == 0)
                            {
                                progress(check.Events);
                            }
                        }
                    }
                    catch (Exception ex) when (ex is EventualiException or InvalidOperationException or FormatException or ArgumentException)
                    {
                        check.Problem($"the log could not be read after position {check.LastPosition}: {CliApp.OneLine(ex.Message)}");
                    }

                    return 0;
                }).ConfigureAwait(false);
            }

            await io.Out.WriteLineAsync(parse.GetValue(json) ? ToJson(check) : ToText(check)).ConfigureAwait(false);
            return check.ProblemCount == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static string ToJson(LogCheck c) => Json.Object(w =>
    {
        w.WriteBoolean("ok", c.ProblemCount == 0);
        w.WriteNumber("events", c.Events);
        w.WriteNumber("streams", c.Streams);
        w.WriteNumber("problem_count", c.ProblemCount);
        w.WriteStartArray("problems");
        foreach (var p in c.Problems)
        {
            w.WriteStringValue(p);
        }

        w.WriteEndArray();
    });

    private static string ToText(LogCheck c)
    {
        var summary = string.Create(CultureInfo.InvariantCulture, $"Checked {c.Events:N0} events in {c.Streams:N0} streams: ");
        if (c.ProblemCount == 0)
        {
            return summary + "positions strictly increasing, versions contiguous, payloads readable. OK.";
        }

        var lines = c.Problems.Select(p => "  " + p).ToList();
        if (c.ProblemCount > c.Problems.Count)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  ... and {c.ProblemCount - c.Problems.Count} more"));
        }

        return summary + string.Create(CultureInfo.InvariantCulture, $"{c.ProblemCount} problem(s) found.") + Environment.NewLine + string.Join(Environment.NewLine, lines);
    }

    /// <summary>The checks, one event at a time.</summary>
    internal sealed class LogCheck
    {
        private readonly Dictionary<string, long> _lastVersion = new(StringComparer.Ordinal);
        private readonly List<string> _problems = [];

        public long Events { get; private set; }
        public long LastPosition { get; private set; }
        public int Streams => _lastVersion.Count;
        public long ProblemCount { get; private set; }
        public IReadOnlyList<string> Problems => _problems;

        public void Add(RecordedEvent e)
        {
            Events++;
            var at = string.Create(CultureInfo.InvariantCulture, $"position {e.Position} (stream '{e.StreamId}' version {e.StreamVersion})");
            if (e.Position <= LastPosition)
            {
                Problem($"{at} does not follow position {LastPosition}: positions must strictly increase.");
            }

            LastPosition = Math.Max(LastPosition, e.Position);
            var known = _lastVersion.TryGetValue(e.StreamId, out var last);
            if (e.StreamVersion < 1)
            {
                Problem($"{at}: versions start at 1.");
            }
            else if (known && e.StreamVersion != last + 1)
            {
                Problem(e.StreamVersion <= last
                    ? $"{at}: version {e.StreamVersion} appears again or out of order after version {last}."
                    : $"{at}: versions {last + 1}-{e.StreamVersion - 1} are missing.");
            }

            // A stream may start above 1 (truncated history); from its first stored version on it must be contiguous.
            _lastVersion[e.StreamId] = Math.Max(e.StreamVersion, last);
            if (ContentTypes.IsJson(e.ContentType) && JsonError(e.Data) is { } error)
            {
                Problem($"{at}: the JSON payload does not parse ({error}).");
            }
        }

        public void Problem(string text)
        {
            ProblemCount++;
            if (_problems.Count < MaxListed)
            {
                _problems.Add(text);
            }
        }

        private static string? JsonError(ReadOnlyMemory<byte> data)
        {
            try
            {
                using var _ = JsonDocument.Parse(data);
                return null;
            }
            catch (JsonException ex)
            {
                return ex.Message.Split(" LineNumber:", 2)[0];
            }
        }
    }
}
