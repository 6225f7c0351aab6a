using System.CommandLine;
using System.Globalization;
using Eventuali.Tenancy;

namespace Eventuali.Cli.Commands;

/// <summary>
/// <c>eventuali tenants usage [--from --to] [--format table|csv|json] [--tenant ID]</c> (the billing report) and
/// <c>eventuali tenants config ID [--max-events-per-day N] [--max-streams N] [--max-bytes N]</c> (per-tenant settings).
/// </summary>
internal static class TenantUsageCommands
{
    private const string DayFormat = "yyyy-MM-dd";

    public static Command Usage(CliIo io, Func<string?, bool, CancellationToken, ValueTask<ITenantStoreFactory>> open)
    {
        var database = CommonOptions.Database();
        var from = new Option<string?>("--from") { Description = "First UTC day counted, yyyy-MM-dd (default: the first).", HelpName = "day" };
        var to = new Option<string?>("--to") { Description = "Last UTC day counted, inclusive, yyyy-MM-dd (default: today).", HelpName = "day" };
        var format = new Option<string>("--format") { Description = "table (default), csv (a header line, then one line per tenant) or json (one object per line).", DefaultValueFactory = _ => "table" };
        var command = new Command("usage", "Billing report: per tenant (all, or the one --tenant names), the events, payload bytes, streams and reads metered in its store over the days asked for, and its storage now.")
        {
            database, from, to, format,
        };
        Examples.Add(command, "eventuali tenants usage -d sqlite://tenants/?tenancy=file --from 2026-03-01 --to 2026-03-31 --format csv", "eventuali tenants usage -d postgresql://app@db/events?tenancy=schema --format json");
        command.SetAction(async (parse, ct) =>
        {
            var (first, last) = (Day(parse.GetValue(from), "--from"), Day(parse.GetValue(to), "--to"));
            var shape = parse.GetValue(format)?.ToLowerInvariant() switch
            {
                "table" => 0,
                "csv" => 1,
                "json" => 2,
                var other => throw new UsageException($"Unknown --format '{other}'; expected table, csv or json."),
            };
            TenantId? tenant = TenantOption.Given is { } given ? TenantId.Parse(given) : null;
            var factory = await open(parse.GetValue(database), false, ct).ConfigureAwait(false);
            await using (factory.ConfigureAwait(false))
            {
                var usage = await Administration(factory).ReadUsageAsync(tenant, first, last, ct).ConfigureAwait(false);
                await WriteAsync(io.Out, usage, shape).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Config(CliIo io, Func<string?, bool, CancellationToken, ValueTask<ITenantStoreFactory>> open, Argument<string> id)
    {
        var database = CommonOptions.Database();
        var (events, streams, bytes) = Quotas();
        var clear = new Option<bool>("--no-quotas") { Description = "Remove every quota." };
        var durability = new Option<string?>("--durability") { Description = "full, relaxed, or default (the store URL's), applied when the tenant's store next opens." };
        durability.AcceptOnlyFromAmong("full", "relaxed", "default");
        var analytics = new Option<string?>("--analytics") { Description = "allow: the tenant opts in to cross-tenant analytics ('tenants analytics'); deny (the default) opts out." };
        analytics.AcceptOnlyFromAmong("allow", "deny");
        var tier = new Option<string?>("--tier") { Description = "The tier the tenant's metrics are grouped under (1-32 of a-z, 0-9, -, _), or 'default'.", HelpName = "name" };
        var (keepCount, keepAge, snapshots, encryption) = TenantSettingOptions.Create();
        var command = new Command("config", "Show a tenant's settings, or change its quotas (stored in the registry, enforced in the append transaction; 'none' removes one), durability, retention, snapshot interval, encryption, cross-tenant analytics opt-in and tier.")
        {
            database, id, events, streams, bytes, clear, durability, keepCount, keepAge, snapshots, encryption, analytics, tier,
        };
        Examples.Add(command, "eventuali tenants config acme -d sqlite://tenants/?tenancy=file --max-events-per-day 100000 --max-streams 5000", "eventuali tenants config acme -d sqlite://tenants/?tenancy=file --analytics allow --tier pro", "eventuali tenants config acme -d sqlite://tenants/?tenancy=file --max-bytes none");
        command.SetAction(async (parse, ct) =>
        {
            var tenant = TenantId.Parse(parse.GetValue(id));
            var factory = await open(parse.GetValue(database), false, ct).ConfigureAwait(false);
            await using (factory.ConfigureAwait(false))
            {
                var admin = Administration(factory);
                var configuration = await admin.GetConfigurationAsync(tenant, ct).ConfigureAwait(false);
                var quotas = parse.GetValue(clear) ? TenantQuotas.None : configuration.Quotas ?? TenantQuotas.None;
                var changed = Apply(parse, quotas, events, streams, bytes);
                var commits = parse.GetValue(durability) switch
                {
                    null => configuration.Durability,
                    "full" => Durability.Full,
                    "relaxed" => Durability.Relaxed,
                    _ => (Durability?)null,
                };
                var allow = parse.GetValue(analytics) is { } a ? a == "allow" : configuration.AllowCrossTenantAnalytics;
                var named = parse.GetValue(tier) switch { null => configuration.Tier, "default" => null, var t => t };
                var settings = TenantSettingOptions.Apply(parse, configuration, keepCount, keepAge, snapshots, encryption);
                var updated = settings with { Quotas = changed.Any ? changed : null, Durability = commits, AllowCrossTenantAnalytics = allow, Tier = named };
                if (parse.GetValue(clear) || updated != configuration)
                {
                    configuration = updated;
                    await admin.SetConfigurationAsync(tenant, configuration, ct).ConfigureAwait(false);
                }

                await io.Out.WriteLineAsync(Describe(tenant, configuration)).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The quota options, shared by <c>config</c> and <c>create</c>.</summary>
    public static (Option<string?> Events, Option<string?> Streams, Option<string?> Bytes) Quotas() =>
    (
        new Option<string?>("--max-events-per-day") { Description = "Events the tenant may append per UTC day ('none': no limit).", HelpName = "n" },
        new Option<string?>("--max-streams") { Description = "Streams the tenant may create ('none': no limit).", HelpName = "n" },
        new Option<string?>("--max-bytes") { Description = "Event payload bytes the tenant may append in all ('none': no limit).", HelpName = "n" });

    /// <summary><paramref name="quotas"/> with the quota options given on the command line applied.</summary>
    public static TenantQuotas Apply(ParseResult parse, TenantQuotas quotas, Option<string?> events, Option<string?> streams, Option<string?> bytes)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(quotas);
        return quotas with
        {
            MaxEventsPerDay = Limit(parse, events, quotas.MaxEventsPerDay),
            MaxStreams = Limit(parse, streams, quotas.MaxStreams),
            MaxBytes = Limit(parse, bytes, quotas.MaxBytes),
        };
    }

    public static string Describe(TenantId tenant, TenantConfiguration configuration)
    {
        var q = configuration.Quotas ?? TenantQuotas.None;
        return string.Create(CultureInfo.InvariantCulture, $"Tenant '{tenant}': max-events-per-day {Show(q.MaxEventsPerDay)}, max-streams {Show(q.MaxStreams)}, max-bytes {Show(q.MaxBytes)}, durability {configuration.Durability?.ToString().ToLowerInvariant() ?? "default"}, {TenantSettingOptions.Describe(configuration)}, analytics {(configuration.AllowCrossTenantAnalytics ? "allow" : "deny")}, tier {configuration.TierOrDefault}.");
    }

    public static ITenantAdministration Administration(ITenantStoreFactory factory)
        => factory as ITenantAdministration ?? throw new UsageException("This store keeps no per-tenant usage or configuration; use a sqlite://DIR/?tenancy=file or postgresql://…?tenancy=schema store.");

    private static long? Limit(ParseResult parse, Option<string?> option, long? current)
    {
        if (parse.GetValue(option) is not { } text)
        {
            return current;
        }

        if (text.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"{option.Name} must be a whole number of 0 or more, or 'none'; got '{text}'.");
    }

    private static string Show(long? limit) => limit?.ToString(CultureInfo.InvariantCulture) ?? "none";

    private static DateOnly? Day(string? text, string option)
        => text is null ? null
            : DateOnly.TryParseExact(text, DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day
            : throw new UsageException($"{option} must be a UTC day written yyyy-MM-dd; got '{text}'.");

    private static async Task WriteAsync(TextWriter output, IReadOnlyList<TenantUsage> usage, int shape)
    {
        string[] header = ["tenant", "from", "to", "events", "bytes", "streams", "reads", "storage_bytes"];
        if (shape == 2)
        {
            foreach (var u in usage)
            {
                await output.WriteLineAsync(Json.Object(w =>
                {
                    w.WriteString("tenant", u.Tenant.Value);
                    WriteDay(w, "from", u.From);
                    WriteDay(w, "to", u.To);
                    w.WriteNumber("events", u.Events);
                    w.WriteNumber("bytes", u.Bytes);
                    w.WriteNumber("streams", u.Streams);
                    w.WriteNumber("reads", u.Reads);
                    w.WriteNumber("storage_bytes", u.StorageBytes);
                })).ConfigureAwait(false);
            }

            return;
        }

        var rows = usage.Select(u => new[]
        {
            u.Tenant.Value, Text(u.From), Text(u.To), Number(u.Events), Number(u.Bytes), Number(u.Streams), Number(u.Reads), Number(u.StorageBytes),
        }).ToList();
        if (shape == 1)
        {
            // Tenant ids and days hold no commas or quotes (their rules), so no field needs quoting.
            foreach (var row in rows.Prepend(header))
            {
                await output.WriteLineAsync(string.Join(',', row)).ConfigureAwait(false);
            }

            return;
        }

        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            // Names left, numbers right, so columns of figures line up.
            await output.WriteLineAsync(string.Join("  ", row.Select((cell, i) => i < 3 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd()).ConfigureAwait(false);
        }
    }

    private static void WriteDay(System.Text.Json.Utf8JsonWriter w, string name, DateOnly? day)
    {
        if (day is { } d)
        {
            w.WriteString(name, d.ToString(DayFormat, CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string Text(DateOnly? day) => day?.ToString(DayFormat, CultureInfo.InvariantCulture) ?? string.Empty;

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
