using System.CommandLine;

namespace Eventuali.Cli.Commands;

/// <summary><c>eventuali replay --projection NAME [--from-position P]</c>: asks the running daemon to replay a projection from a position.</summary>
internal static class ReplayCommand
{
    public static Command Create(CliIo io)
    {
        var database = CommonOptions.Database();
        var projection = new Option<string>("--projection", "-p") { Description = "The projection to replay.", Required = true, HelpName = "name" };
        var from = new Option<long>("--from-position") { Description = "Replay events after this position (0: from the start, clearing its built-in documents).", DefaultValueFactory = _ => 0, HelpName = "position" };
        var json = ProjectionOutput.Json();
        var wait = ProjectionOutput.Wait();
        var timeout = ProjectionOutput.Timeout();
        var command = new Command("replay", """
            Replay a projection from a position: records the request (position P, state rebuilding) for the running
            projection daemon, which applies every event after P again, skipping side effects marked as such.
            Examples:
              eventuali replay --projection orders
              eventuali replay --projection orders --from-position 120000 --wait
            """) { projection, from, database, json, wait, timeout };
        command.SetAction((parse, ct) =>
        {
            var position = parse.GetValue(from);
            if (position < 0)
            {
                throw new UsageException($"--from-position must be 0 or more; got {position}.");
            }

            return ProjectionOutput.RequestAsync(io, CommonOptions.ResolveDatabase(parse.GetValue(database), io), parse.GetValue(projection)!, position,
                parse.GetValue(wait), parse.GetValue(timeout), parse.GetValue(json), ct);
        });
        return command;
    }
}
