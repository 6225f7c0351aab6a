using System.CommandLine;
using System.Text;
using System.Text.Json;

namespace Eventuali.Cli.Commands;

/// <summary><c>eventuali append</c>: appends one JSON event and prints the result as JSON.</summary>
internal static class AppendCommand
{
    public static Command Create(CliIo io)
    {
        var database = CommonOptions.Database();
        var stream = new Option<string>("--stream", "-s") { Description = "Stream id to append to.", Required = true };
        var type = new Option<string>("--type", "-t") { Description = "Stored event type name.", Required = true };
        var data = new Option<string>("--data") { Description = "The event payload, a JSON document.", Required = true, HelpName = "json" };
        data.Validators.Add(result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (JsonError(text) is { } error)
            {
                result.AddError($"--data is not valid JSON: {error}");
            }
        });
        var expected = ExpectedVersionOption.Create();
        var correlation = new Option<string?>("--correlation-id") { Description = "Correlation id stored with the event." };
        var causation = new Option<string?>("--causation-id") { Description = "Causation id stored with the event." };
        var actor = new Option<string?>("--actor") { Description = "Actor (user or service) stored with the event." };
        var eventId = new Option<Guid?>("--event-id")
        {
            Description = "The event id (a GUID). Default: a new UUIDv7. Repeating an append with the same id returns the original result and writes nothing.",
        };

        var personal = new Option<string?>("--personal")
        {
            Description = "Top-level JSON fields to encrypt for --subject, comma-separated (needs --key-file).",
            HelpName = "field[,field]",
        };
        var subject = new Option<string?>("--subject") { Description = "The data subject whose key encrypts the --personal fields.", HelpName = "id" };

        var command = new Command("append", "Append one JSON event to a stream and print the result as JSON.")
        {
            database, stream, type, data, expected, correlation, causation, actor, eventId, personal, subject,
        };
        Examples.Add(command, "eventuali append -d sqlite://events.db -s order-1001 -t order-placed --data '{\"total\":42.5}' --expected-version no-stream", "eventuali append -s order-1001 -t order-paid --data '{\"amount\":42.5}' --expected-version 1 --correlation-id checkout-7");
        command.SetAction(async (parse, ct) =>
        {
            var url = CommonOptions.ResolveDatabase(parse.GetValue(database), io);
            var streamId = parse.GetRequiredValue(stream);
            var metadata = PersonalFields.Apply(new EventMetadata(parse.GetValue(correlation), parse.GetValue(causation), parse.GetValue(actor)), parse.GetValue(personal), parse.GetValue(subject));
            var id = parse.GetValue(eventId) ?? EventData.NewEventId();
            var payload = Encoding.UTF8.GetBytes(parse.GetRequiredValue(data));
            var @event = new EventData(id, parse.GetRequiredValue(type), payload, metadata.IsEmpty ? null : metadata);

            var store = await CommonOptions.OpenOrCreateAsync(url, ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                var result = await store.AppendAsync(streamId, parse.GetValue(expected), [@event], ct).ConfigureAwait(false);
                await io.Out.WriteLineAsync(ResultJson(streamId, id, result)).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    internal static string ResultJson(string streamId, Guid eventId, AppendResult result)
    {
        return Json.Object(json =>
        {
            json.WriteString("streamId", streamId);
            json.WriteNumber("streamVersion", result.StreamVersion);
            json.WriteNumber("lastPosition", result.LastPosition);
            json.WriteString("eventId", eventId);
        });
    }

    private static string? JsonError(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return null;
        }
        catch (JsonException ex)
        {
            return ex.Message;
        }
    }
}
