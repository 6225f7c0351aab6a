using System.CommandLine;
using Eventuali.Projections;

namespace Eventuali.Cli.Commands;

/// <summary><c>eventuali projections list|status|rebuild|dead-letters</c>: reads the projection state table; rebuild and dead-letter retries record requests the running daemon honours.</summary>
internal static class ProjectionsCommand
{
    public static Command Create(CliIo io) => new("projections", """
        Inspect projections and ask the running projection daemon to rebuild one.
        Examples:
          eventuali projections list -d sqlite://shop.db
          eventuali projections status orders --json
          eventuali projections rebuild orders --wait --timeout 120
          eventuali projections dead-letters list orders
        """)
    {
        List(io), Status(io), Rebuild(io), ProjectionDeadLettersCommand.Create(io),
    };

    private static Command List(CliIo io)
    {
        var database = CommonOptions.Database();
        var json = ProjectionOutput.Json();
        var command = new Command("list", "Every projection: position, lag to the head, state, owner node and dead letters.") { database, json };
        command.SetAction(async (parse, ct) =>
        {
            var store = await CommonOptions.OpenAsync(CommonOptions.ResolveDatabase(parse.GetValue(database), io), ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                var all = await store.GetProjectionStatusesAsync(ct).ConfigureAwait(false);
                await io.Out.WriteLineAsync(parse.GetValue(json) ? ProjectionOutput.JsonOf(all)
                    : all.Count == 0 ? "No projections in this store yet (one appears once a daemon has run it)." : ProjectionOutput.Text(all)).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Status(CliIo io)
    {
        var database = CommonOptions.Database();
        var json = ProjectionOutput.Json();
        var name = new Argument<string>("name") { Description = "The projection's name, or one partition's (name#n). A partitioned projection's name lists its partitions and the node running each." };
        var command = new Command("status", "One projection's position, head, lag, state, owner node, dead letters, pending rebuild and last error; for a partitioned projection, each partition's.") { name, database, json };
        command.SetAction(async (parse, ct) =>
        {
            var projection = parse.GetValue(name)!;
            ProjectionPartitions.ValidateLeaseName(projection);
            var store = await CommonOptions.OpenAsync(CommonOptions.ResolveDatabase(parse.GetValue(database), io), ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                var all = await store.GetProjectionStatusesAsync(ct).ConfigureAwait(false);
                if (all.FirstOrDefault(s => s.Name == projection) is { } status)
                {
                    await io.Out.WriteLineAsync(parse.GetValue(json) ? ProjectionOutput.JsonOf(status) : ProjectionOutput.Details(status)).ConfigureAwait(false);
                    return ExitCodes.Success;
                }

                var partitions = all.Where(s => ProjectionPartitions.PartitionOf(s.Name) is not null && ProjectionPartitions.ProjectionOf(s.Name) == projection)
                    .OrderBy(s => ProjectionPartitions.PartitionOf(s.Name)).ToList();
                if (partitions.Count == 0)
                {
                    throw new ProjectionNotFoundException(projection);
                }

                await io.Out.WriteLineAsync(parse.GetValue(json) ? ProjectionOutput.JsonOf(partitions) : ProjectionOutput.Partitions(projection, partitions)).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Rebuild(CliIo io)
    {
        var database = CommonOptions.Database();
        var json = ProjectionOutput.Json();
        var wait = ProjectionOutput.Wait();
        var timeout = ProjectionOutput.Timeout();
        var name = new Argument<string>("name") { Description = "The projection's name." };
        var command = new Command("rebuild", """
            Rebuild a projection from zero: records the request (position 0, state rebuilding); the running daemon
            clears its built-in documents and replays every event, skipping side effects marked as such.
            """) { name, database, json, wait, timeout };
        command.SetAction((parse, ct) => ProjectionOutput.RequestAsync(io, CommonOptions.ResolveDatabase(parse.GetValue(database), io), parse.GetValue(name)!, 0,
            parse.GetValue(wait), parse.GetValue(timeout), parse.GetValue(json), ct));
        return command;
    }
}
