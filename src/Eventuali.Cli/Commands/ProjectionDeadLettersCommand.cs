using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Eventuali.Projections;

namespace Eventuali.Cli.Commands;

/// <summary>
/// <c>eventuali projections dead-letters list|retry|delete NAME</c>: lists a projection's dead letters, asks the running
/// daemon to retry them, or acknowledges (removes) them.
/// </summary>
internal static class ProjectionDeadLettersCommand
{
    private static readonly string[] Header = ["ID", "POSITION", "STREAM", "VERSION", "TYPE", "ATTEMPTS", "RETRY", "ERROR"];

    public static Command Create(CliIo io) => new("dead-letters", """
        A projection's dead letters: events its handler failed on, parked so the projection could go on.
        Examples:
          eventuali projections dead-letters list orders
          eventuali projections dead-letters retry orders --all
          eventuali projections dead-letters delete orders --id 12
        """)
    {
        List(io), Retry(io), Delete(io),
    };

    private static Argument<string> Name() => new("name") { Description = "The projection's name." };

    private static Option<long?> Id() => new("--id") { Description = "One dead letter, by the id 'list' shows.", HelpName = "id" };

    private static Option<bool> All() => new("--all") { Description = "Every dead letter of the projection." };

    private static Command List(CliIo io)
    {
        var name = Name();
        var database = CommonOptions.Database();
        var json = ProjectionOutput.Json();
        var command = new Command("list", "The projection's dead letters in position order: id, event, attempts, whether a retry is pending, and the last error.") { name, database, json };
        command.SetAction(async (parse, ct) =>
        {
            var projection = parse.GetValue(name)!;
            ProjectionNames.Validate(projection);
            var store = await OpenExistingAsync(io, parse.GetValue(database), projection, ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                var letters = await store.GetProjectionStore().ReadDeadLettersAsync(projection, ct).ConfigureAwait(false);
                await io.Out.WriteLineAsync(parse.GetValue(json) ? JsonOf(letters)
                    : letters.Count == 0 ? $"Projection '{projection}' has no dead letters." : Text(letters)).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Retry(CliIo io)
    {
        var (name, database, id, all) = (Name(), CommonOptions.Database(), Id(), All());
        var command = new Command("retry", """
            Ask the running projection daemon to run the handler again for one dead letter (--id) or all (--all).
            One that succeeds is removed; one that fails again stays with the new error and one more attempt.
            """) { name, database, id, all };
        command.SetAction(async (parse, ct) =>
        {
            var (projection, selected) = Selection(parse.GetValue(name)!, parse.GetValue(id), parse.GetValue(all));
            var store = await OpenExistingAsync(io, parse.GetValue(database), projection, ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                var marked = await store.GetProjectionStore().RequestDeadLetterRetryAsync(projection, selected, ct).ConfigureAwait(false);
                NotFound(projection, selected, marked);
                await io.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Requested: retry of {marked} dead letter(s) of '{projection}'. The running projection daemon retries them; see 'eventuali projections dead-letters list {projection}'.")).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Delete(CliIo io)
    {
        var (name, database, id, all) = (Name(), CommonOptions.Database(), Id(), All());
        var command = new Command("delete", "Acknowledge dead letters: remove one (--id) or all of the projection's (--all). The events are not applied.") { name, database, id, all };
        command.SetAction(async (parse, ct) =>
        {
            var (projection, selected) = Selection(parse.GetValue(name)!, parse.GetValue(id), parse.GetValue(all));
            var store = await OpenExistingAsync(io, parse.GetValue(database), projection, ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                var deleted = await store.GetProjectionStore().DeleteDeadLettersAsync(projection, selected, ct).ConfigureAwait(false);
                NotFound(projection, selected, deleted);
                await io.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Deleted {deleted} dead letter(s) of '{projection}'.")).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Exactly one of --id and --all.</summary>
    private static (string Projection, long? Id) Selection(string projection, long? id, bool all)
    {
        ProjectionNames.Validate(projection);
        if (id is null == !all)
        {
            throw new UsageException("Give either --id ID (one dead letter) or --all (every dead letter of the projection).");
        }

        if (id is <= 0)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--id must be a dead letter's id (1 or more); got {id}."));
        }

        return (projection, id);
    }

    private static void NotFound(string projection, long? id, int count)
    {
        if (id is { } value && count == 0)
        {
            throw new EventualiException(string.Create(CultureInfo.InvariantCulture, $"Projection '{projection}' has no dead letter with id {value} (see 'eventuali projections dead-letters list {projection}')."));
        }
    }

    private static async Task<IEventStore> OpenExistingAsync(CliIo io, string? database, string projection, CancellationToken ct)
    {
        var store = await CommonOptions.OpenAsync(CommonOptions.ResolveDatabase(database, io), ct).ConfigureAwait(false);
        if ((await store.GetProjectionStore().ListProjectionsAsync(ct).ConfigureAwait(false)).Any(r => r.Name == projection))
        {
            return store;
        }

        await store.DisposeAsync().ConfigureAwait(false);
        throw new ProjectionNotFoundException(projection);
    }

    private static string Text(IReadOnlyList<DeadLetter> letters)
    {
        var rows = new List<string[]> { Header };
        rows.AddRange(letters.Select(d => new[]
        {
            N(d.Id), N(d.Position), d.StreamId, N(d.StreamVersion), d.EventType, N(d.Attempts), d.RetryRequested ? "pending" : "-", CliApp.OneLine(d.Error),
        }));
        var widths = Enumerable.Range(0, Header.Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var r in rows)
        {
            text.AppendLine(string.Join("  ", r.Select((cell, i) => i == Header.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }

        return text.ToString().TrimEnd();
    }

    private static string JsonOf(IReadOnlyList<DeadLetter> letters)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var d in letters)
            {
                json.WriteStartObject();
                json.WriteNumber("id", d.Id);
                json.WriteString("projection", d.Projection);
                json.WriteNumber("position", d.Position);
                json.WriteString("streamId", d.StreamId);
                json.WriteNumber("streamVersion", d.StreamVersion);
                json.WriteString("eventId", d.EventId);
                json.WriteString("eventType", d.EventType);
                json.WriteNumber("attempts", d.Attempts);
                json.WriteBoolean("retryRequested", d.RetryRequested);
                json.WriteString("error", d.Error);
                json.WriteString("parkedAt", d.ParkedAt);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);
}
