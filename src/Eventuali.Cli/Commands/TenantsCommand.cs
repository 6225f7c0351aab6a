using System.CommandLine;
using System.Globalization;
using Eventuali.Cli.Transfer;
using Eventuali.Tenancy;

namespace Eventuali.Cli.Commands;

/// <summary>
/// <c>eventuali tenants create|list|suspend|resume|delete|export</c>: provisioning of a multi-tenant store
/// (<c>-d sqlite://DIR/?tenancy=file</c>, <c>-d postgresql://…?tenancy=schema</c>, or <c>-d postgresql://APP@…?tenancy=rls</c>
/// with <c>--owner-url</c>), through <see cref="ITenantStoreFactory"/>.
/// </summary>
internal static class TenantsCommand
{
    public static Command Create(CliIo io) => new("tenants", "Provision the tenants of a multi-tenant store (-d sqlite://DIR/?tenancy=file, -d postgresql://USER@HOST/DB?tenancy=schema for a schema per tenant, or -d postgresql://APP@HOST/DB?tenancy=rls --owner-url URL for shared tables with row-level security): create, list, suspend, resume, delete, export, config, usage, analytics.")
    {
        CreateTenant(io), List(io), Suspend(io, true), Suspend(io, false), Delete(io), Export(io),
        TenantUsageCommands.Config(io, (d, c, ct) => OpenAsync(io, d, c, ct), IdArgument()),
        TenantUsageCommands.Usage(io, (d, c, ct) => OpenAsync(io, d, c, ct)),
        TenantAnalyticsCommand.Create(io, (d, c, ct) => OpenAsync(io, d, c, ct)),
    };

    private static Command CreateTenant(CliIo io)
    {
        var (database, id) = (CommonOptions.Database(), IdArgument());
        var (events, streams, bytes) = TenantUsageCommands.Quotas();
        var command = new Command("create", "Register a tenant (creating the store directory when missing); creating one that exists changes nothing but the quotas given.") { database, id, events, streams, bytes };
        Examples.Add(command, "eventuali tenants create acme -d sqlite://tenants/?tenancy=file", "eventuali tenants create acme -d sqlite://tenants/?tenancy=file --max-events-per-day 100000 --max-streams 5000 --max-bytes 1000000000");
        command.SetAction(async (parse, ct) =>
        {
            var tenant = TenantId.Parse(parse.GetValue(id));
            var quotas = TenantUsageCommands.Apply(parse, TenantQuotas.None, events, streams, bytes);
            var factory = await OpenAsync(io, parse.GetValue(database), create: true, ct).ConfigureAwait(false);
            await using (factory.ConfigureAwait(false))
            {
                var info = await factory.CreateTenantAsync(tenant, ct).ConfigureAwait(false);
                await io.Out.WriteLineAsync($"Tenant '{info.Tenant}' exists (created {Time(info.CreatedAt)}{(info.Suspended ? ", suspended" : string.Empty)}).").ConfigureAwait(false);
                if (quotas.Any)
                {
                    var admin = TenantUsageCommands.Administration(factory);
                    var configuration = await admin.GetConfigurationAsync(tenant, ct).ConfigureAwait(false);
                    var merged = TenantUsageCommands.Apply(parse, configuration.Quotas ?? TenantQuotas.None, events, streams, bytes);
                    configuration = configuration with { Quotas = merged };
                    await admin.SetConfigurationAsync(tenant, configuration, ct).ConfigureAwait(false);
                    await io.Out.WriteLineAsync(TenantUsageCommands.Describe(tenant, configuration)).ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(CliIo io)
    {
        var database = CommonOptions.Database();
        var json = new Option<bool>("--json") { Description = "One JSON object per tenant." };
        var command = new Command("list", "List the tenants: id, state (active, suspended, deleting) and when each was created.") { database, json };
        Examples.Add(command, "eventuali tenants list -d sqlite://tenants/?tenancy=file", "eventuali tenants list -d postgresql://app@db/events?tenancy=schema");
        command.SetAction(async (parse, ct) =>
        {
            var factory = await OpenAsync(io, parse.GetValue(database), create: false, ct).ConfigureAwait(false);
            await using (factory.ConfigureAwait(false))
            {
                var tenants = await factory.ListTenantsAsync(ct).ConfigureAwait(false);
                if (!parse.GetValue(json))
                {
                    await io.Out.WriteLineAsync("tenant\tstate\tcreated").ConfigureAwait(false);
                }

                foreach (var t in tenants)
                {
                    await io.Out.WriteLineAsync(parse.GetValue(json)
                        ? Json.Object(w => { w.WriteString("tenant", t.Tenant.Value); w.WriteString("state", State(t)); w.WriteString("created", Time(t.CreatedAt)); })
                        : string.Join('\t', t.Tenant.Value, State(t), Time(t.CreatedAt))).ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Suspend(CliIo io, bool suspend)
    {
        var (database, id) = (CommonOptions.Database(), IdArgument());
        var command = new Command(suspend ? "suspend" : "resume", suspend
            ? "Suspend a tenant: opening its store is refused until it is resumed."
            : "Resume a suspended tenant (this also cancels a requested deletion).") { database, id };
        Examples.Add(command, $"eventuali tenants {(suspend ? "suspend" : "resume")} acme -d sqlite://tenants/?tenancy=file");
        command.SetAction(async (parse, ct) =>
        {
            var tenant = TenantId.Parse(parse.GetValue(id));
            var factory = await OpenAsync(io, parse.GetValue(database), create: false, ct).ConfigureAwait(false);
            await using (factory.ConfigureAwait(false))
            {
                await factory.SetSuspendedAsync(tenant, suspend, ct).ConfigureAwait(false);
                await io.Out.WriteLineAsync($"Tenant '{tenant}' is {(suspend ? "suspended" : "active")}.").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Delete(CliIo io)
    {
        var (database, id) = (CommonOptions.Database(), IdArgument());
        var confirm = new Option<string?>("--confirm") { Description = "The confirmation token the first 'delete' printed: removes the tenant and all its data.", HelpName = "token" };
        var command = new Command("delete", "Delete a tenant in two steps: without --confirm it suspends the tenant and prints a confirmation token; with --confirm TOKEN it removes the tenant's data. Both steps are audited.")
        {
            database, id, confirm,
        };
        Examples.Add(command, "eventuali tenants delete acme -d sqlite://tenants/?tenancy=file", "eventuali tenants delete acme -d sqlite://tenants/?tenancy=file --confirm 3f2a9c0d51e8b7a4");
        command.SetAction(async (parse, ct) =>
        {
            var tenant = TenantId.Parse(parse.GetValue(id));
            var factory = await OpenAsync(io, parse.GetValue(database), create: false, ct).ConfigureAwait(false);
            await using (factory.ConfigureAwait(false))
            {
                if (parse.GetValue(confirm) is not { } token)
                {
                    var issued = await factory.RequestDeletionAsync(tenant, ct).ConfigureAwait(false);
                    await io.Out.WriteLineAsync(issued).ConfigureAwait(false);
                    await io.Error.WriteLineAsync($"Tenant '{tenant}' is suspended and marked for deletion. To remove it and all its data, run this command again with --confirm {issued}; 'tenants resume' cancels.").ConfigureAwait(false);
                    return ExitCodes.Success;
                }

                await factory.PurgeTenantAsync(tenant, token, ct).ConfigureAwait(false);
                await io.Out.WriteLineAsync($"Tenant '{tenant}' and its data are deleted.").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Export(CliIo io)
    {
        var (database, id) = (CommonOptions.Database(), IdArgument());
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file (gzip when it ends in .gz), replaced only when the export succeeds. Default: stdout.", HelpName = "file" };
        var command = new Command("export", "Write one tenant's events as JSON lines in position order (the format of 'eventuali export'; 'eventuali import' reads it).") { database, id, output };
        Examples.Add(command, "eventuali tenants export acme -d sqlite://tenants/?tenancy=file -o acme.jsonl.gz");
        command.SetAction(async (parse, ct) =>
        {
            var tenant = TenantId.Parse(parse.GetValue(id));
            var factory = await OpenAsync(io, parse.GetValue(database), create: false, ct).ConfigureAwait(false);
            var store = await factory.OpenOwnedStoreAsync(tenant, ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                if (parse.GetValue(output) is not { } path)
                {
                    await ExportCommand.WriteAsync(store, io.Out, 1, null, null, io, null, ct).ConfigureAwait(false);
                    return ExitCodes.Success;
                }

                var file = ExportFiles.Create(path);
                await using (file.ConfigureAwait(false))
                {
                    var (events, streams) = await ExportCommand.WriteAsync(store, file.Writer, 1, null, null, io, null, ct).ConfigureAwait(false);
                    await file.CommitAsync().ConfigureAwait(false);
                    await io.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Exported {events} events of {streams} streams of tenant '{tenant}' to {Path.GetFullPath(path)}.")).ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Argument<string> IdArgument() => new("id") { Description = "The tenant id: 1-48 letters, digits and hyphens; case-insensitive (stored lower-case)." };

    private static ValueTask<ITenantStoreFactory> OpenAsync(CliIo io, string? database, bool create, CancellationToken ct)
        => EventStore.OpenTenantsAsync(CommonOptions.ResolveStoreRoot(database, io), OwnerUrlOption.Given, EventStoreOptions.Default, create, ct);

    private static string State(TenantInfo t) => t.DeletionRequested ? "deleting" : t.Suspended ? "suspended" : "active";

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
