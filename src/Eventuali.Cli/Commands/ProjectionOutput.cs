using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Eventuali.Projections;

namespace Eventuali.Cli.Commands;

/// <summary>Shared parts of the projection commands: text and JSON output, and waiting for the daemon.</summary>
internal static class ProjectionOutput
{
    private static readonly string[] Header = ["NAME", "POSITION", "LAG", "STATE", "OWNER", "DEAD-LETTERS"];

    public static Option<bool> Json() => new("--json") { Description = "Print JSON instead of text." };

    public static Option<bool> Wait() => new("--wait") { Description = "Wait until the running daemon reports the projection caught up (exit 1 if it faults or the timeout passes)." };

    public static Option<int> Timeout() => new("--timeout") { Description = "With --wait: give up after this many seconds.", DefaultValueFactory = _ => 300, HelpName = "seconds" };

    public static string Text(IReadOnlyList<ProjectionStatus> all)
    {
        var rows = new List<string[]> { Header };
        rows.AddRange(all.Select(s => new[] { s.Name, N(s.Position), N(s.Lag), State(s), s.Owner ?? "-", N(s.DeadLetters) }));
        var widths = Enumerable.Range(0, 6).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var r in rows)
        {
            text.AppendLine(string.Join("  ", r.Select((cell, i) => i == 5 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>A partitioned projection: a summary line, then one row per partition with the node running it.</summary>
    public static string Partitions(string projection, IReadOnlyList<ProjectionStatus> partitions)
    {
        var nodes = partitions.Where(p => p.Owner is not null).GroupBy(p => p.Owner!, StringComparer.Ordinal)
            .Select(g => $"{g.Key} ({g.Count()})").Order(StringComparer.Ordinal);
        var owners = string.Join(", ", nodes);
        return $"projection:   {projection} ({N(partitions.Count)} partitions; nodes: {(owners.Length == 0 ? "none" : owners)})" + Environment.NewLine + Text(partitions);
    }

    public static string Details(ProjectionStatus s)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"projection:   {s.Name}");
        text.AppendLine(CultureInfo.InvariantCulture, $"state:        {State(s)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"position:     {N(s.Position)} (head {N(s.HeadPosition)}, lag {N(s.Lag)})");
        text.AppendLine(CultureInfo.InvariantCulture, $"owner:        {s.Owner ?? "- (no node runs it)"}");
        text.AppendLine(CultureInfo.InvariantCulture, $"dead letters: {N(s.DeadLetters)}");
        if (s.RebuildRequestedFrom is { } from)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"requested:    rebuild from position {N(from)}, waiting for the daemon");
        }

        if (s.Error is { } error)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"error:        {CliApp.OneLine(error)}");
        }

        text.Append(CultureInfo.InvariantCulture, $"updated:      {s.UpdatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff}Z");
        return text.ToString();
    }

    public static string JsonOf(ProjectionStatus s)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Cli.Json.WriterOptions))
        {
            Write(json, s);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string JsonOf(IReadOnlyList<ProjectionStatus> all)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Cli.Json.WriterOptions))
        {
            json.WriteStartArray();
            foreach (var s in all)
            {
                Write(json, s);
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter json, ProjectionStatus s)
    {
        json.WriteStartObject();
        json.WriteString("name", s.Name);
        json.WriteString("state", ProjectionStates.ToText(s.State));
        json.WriteNumber("position", s.Position);
        json.WriteNumber("headPosition", s.HeadPosition);
        json.WriteNumber("lag", s.Lag);
        WriteOrNull(json, "owner", s.Owner);
        json.WriteNumber("deadLetters", s.DeadLetters);
        if (s.RebuildRequestedFrom is { } from)
        {
            json.WriteNumber("rebuildRequestedFrom", from);
        }
        else
        {
            json.WriteNull("rebuildRequestedFrom");
        }

        WriteOrNull(json, "error", s.Error);
        json.WriteString("updatedAt", s.UpdatedAt);
        json.WriteEndObject();
    }

    private static void WriteOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static string State(ProjectionStatus s) => ProjectionStates.ToText(s.State);

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>Records a rebuild request and, with --wait, waits for the daemon to finish it; prints the resulting status.</summary>
    public static async Task<int> RequestAsync(CliIo io, string url, string name, long from, bool wait, int timeoutSeconds, bool asJson, CancellationToken ct)
    {
        ProjectionNames.Validate(name);
        if (timeoutSeconds < 1)
        {
            throw new UsageException($"--timeout must be at least 1 second; got {timeoutSeconds}.");
        }

        var store = await CommonOptions.OpenAsync(url, ct).ConfigureAwait(false);
        await using (store.ConfigureAwait(false))
        {
            // Checked here too (the store refuses it as well) to name the option in the message.
            var head = await store.GetHeadPositionAsync(ct).ConfigureAwait(false);
            if (from > head)
            {
                throw new UsageException($"--from-position {from} is past the head of the log ({head}): events appended up to it later would never be projected. Use a position from 0 to {head}.");
            }

            if (!await store.GetProjectionStore().RequestProjectionRebuildAsync(name, from, ct).ConfigureAwait(false))
            {
                throw new ProjectionNotFoundException(name);
            }

            var status = (await store.GetProjectionStatusAsync(name, ct).ConfigureAwait(false))!;
            if (wait)
            {
                if (!asJson)
                {
                    await io.Error.WriteLineAsync($"Requested: rebuild of '{name}' from position {from}; waiting for the daemon...").ConfigureAwait(false);
                }

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
                try
                {
                    status = await store.WaitForProjectionAsync(name, TimeSpan.FromMilliseconds(200), TimeProvider.System, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    var now = await store.GetProjectionStatusAsync(name, CancellationToken.None).ConfigureAwait(false);
                    var hint = now?.Owner is null ? " No node owns it: is a projection daemon running?" : string.Empty;
                    throw new EventualiException($"Projection '{name}' did not catch up within {timeoutSeconds} s (state {now?.State.ToString().ToLowerInvariant()}, position {now?.Position}, lag {now?.Lag}).{hint}");
                }
                catch (InvalidOperationException ex)
                {
                    throw new EventualiException(ex.Message, ex);
                }
            }

            await io.Out.WriteLineAsync(asJson ? JsonOf(status) : wait
                ? $"Projection '{name}' rebuilt from position {from} and caught up at position {status.Position} (head {status.HeadPosition})."
                : $"Requested: rebuild of '{name}' from position {from}. The running projection daemon will reset it{(from == 0 ? ", clear its documents" : string.Empty)} and replay; use --wait to wait for it.").ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }
}

/// <summary>No projection of that name has ever run on the store.</summary>
internal sealed class ProjectionNotFoundException(string name)
    : EventualiException($"No projection named '{name}' in this store (a projection appears once a daemon has run it; see 'eventuali projections list').");
