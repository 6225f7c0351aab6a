using System.CommandLine;
using Eventuali.Migrations;

namespace Eventuali.Cli.Commands;

/// <summary><c>eventuali migrate status|up</c>: shows and applies versioned schema migrations without opening the store for appends.</summary>
internal static class MigrateCommand
{
    public static Command Create(CliIo io)
    {
        var command = new Command("migrate", """
            Show or apply the store's versioned schema migrations (forward-only, checksummed, recorded in the store).

            Examples:
              eventuali migrate status -d sqlite://events.db
              eventuali migrate up --dry-run -d postgresql://app@db-host/events
              eventuali migrate up --to-version 3 --json
            """)
        {
            Status(io),
            Up(io),
        };
        return command;
    }

    private static Command Status(CliIo io)
    {
        var database = CommonOptions.Database();
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var command = new Command("status", """
            Print the store's schema version and every migration: applied (when, how long, checksum), pending, or an error
            (an applied migration whose script changed, or one this version does not know). Changes nothing.
            Exit 0 when the store is usable (pending migrations included), 1 on an error state or when it cannot be read.

            Examples:
              eventuali migrate status -d sqlite://events.db
              eventuali migrate status --json
            """) { database, json };
        command.SetAction(async (parse, ct) =>
        {
            var migrator = await SchemaMigrator.ForUrlAsync(CommonOptions.ResolveDatabase(parse.GetValue(database), io), cancellationToken: ct).ConfigureAwait(false);
            await using (migrator.ConfigureAwait(false))
            {
                var status = await migrator.StatusAsync(ct).ConfigureAwait(false);
                await io.Out.WriteLineAsync(parse.GetValue(json) ? MigrateOutput.Json(status) : MigrateOutput.Text(status)).ConfigureAwait(false);

                // The same checks opening performs, so the error reads as it would for the application.
                status.ThrowIfUnusable();
                return ExitCodes.Success;
            }
        });
        return command;
    }

    private static Command Up(CliIo io)
    {
        var database = CommonOptions.Database();
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var toVersion = new Option<int?>("--to-version") { Description = "Stop after this version (default: the latest this eventuali knows).", HelpName = "version" };
        toVersion.Validators.Add(r =>
        {
            // Reading the value of an unparsable token throws; the parser reports that one itself.
            if (r.Tokens.Count > 0 && int.TryParse(r.Tokens[0].Value, System.Globalization.CultureInfo.InvariantCulture, out var v) && v < 1)
            {
                r.AddError("--to-version must be 1 or more.");
            }
        });
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the SQL that would run, in order, and change nothing." };
        var command = new Command("up", """
            Apply the pending migrations, each in its own transaction with its history row, under a lock, so several
            nodes may run it at once. Creates the store when it does not exist. Refuses a store whose applied migrations
            were modified. Exit 0 when done (or nothing to do), 1 when the store cannot be migrated, 2 on bad usage.

            Examples:
              eventuali migrate up -d sqlite://events.db
              eventuali migrate up --dry-run -d postgresql://app@db-host/events?schema=billing
              eventuali migrate up --to-version 3 --json
            """) { database, toVersion, dryRun, json };
        command.SetAction(async (parse, ct) =>
        {
            var migrator = await SchemaMigrator.ForUrlAsync(CommonOptions.ResolveDatabase(parse.GetValue(database), io), cancellationToken: ct).ConfigureAwait(false);
            await using (migrator.ConfigureAwait(false))
            {
                var target = parse.GetValue(toVersion);
                if (parse.GetValue(dryRun))
                {
                    var plan = await migrator.PlanAsync(target, ct).ConfigureAwait(false);
                    await io.Out.WriteLineAsync(parse.GetValue(json) ? MigrateOutput.Json(plan) : MigrateOutput.Text(plan)).ConfigureAwait(false);
                }
                else
                {
                    var result = await migrator.UpAsync(target, ct).ConfigureAwait(false);
                    await io.Out.WriteLineAsync(parse.GetValue(json) ? MigrateOutput.Json(result) : MigrateOutput.Text(result)).ConfigureAwait(false);
                }

                return ExitCodes.Success;
            }
        });
        return command;
    }
}
