using System.CommandLine;
using System.Globalization;
using Eventuali.Tenancy;

namespace Eventuali.Cli.Commands;

/// <summary>
/// <c>eventuali tenants analytics -d DIR-URL --purpose TEXT [--format csv|json] [--tenant ID]</c>: counts per tenant and
/// event type over the tenants that opted in, read through a reader opened with an explicit grant (the purpose, written
/// to each read tenant's audit trail).
/// </summary>
internal static class TenantAnalyticsCommand
{
    public static Command Create(CliIo io, Func<string?, bool, CancellationToken, ValueTask<ITenantStoreFactory>> open)
    {
        var database = CommonOptions.Database();
        var purpose = new Option<string>("--purpose") { Description = "Why the aggregates are read: the grant, written to each read tenant's audit trail (1-200 characters).", Required = true, HelpName = "text" };
        var format = new Option<string>("--format") { Description = "csv (default: a header line, then one line per tenant and event type) or json (one object per tenant).", DefaultValueFactory = _ => "csv" };
        var readerUrl = new Option<string?>("--reader-url") { Description = "PostgreSQL: the URL the reader connects with, as its own role (the URL's analytics_role); default EVENTUALI_ANALYTICS_URL.", HelpName = "url" };
        var command = new Command("analytics", "Cross-tenant analytics: streams, events per type and usage of every tenant that opted in ('tenants config ID --analytics allow'), or of the one --tenant names (refused when it did not opt in).")
        {
            database, purpose, format, readerUrl,
        };
        Examples.Add(command, "eventuali tenants analytics -d sqlite://tenants/?tenancy=file --purpose \"monthly report\" --format json", "eventuali tenants analytics -d postgresql://admin@db/events?tenancy=schema --reader-url postgresql://analyst@db/events --purpose billing");
        command.SetAction(async (parse, ct) =>
        {
            var json = parse.GetValue(format)?.ToLowerInvariant() switch
            {
                "csv" => false,
                "json" => true,
                var other => throw new UsageException($"Unknown --format '{other}'; expected csv or json."),
            };
            IReadOnlyList<TenantId>? tenants = TenantOption.Given is { } given ? [TenantId.Parse(given)] : null;
            var factory = await open(parse.GetValue(database), false, ct).ConfigureAwait(false);
            await using (factory.ConfigureAwait(false))
            {
                var grant = new CrossTenantAnalyticsGrant(parse.GetValue(purpose) ?? string.Empty);
                // PostgreSQL reads as a role of its own, named by a URL of its own; the other backends ignore it.
                var options = new CrossTenantAnalyticsOptions(grant) { ReaderUrl = parse.GetValue(readerUrl) ?? Environment.GetEnvironmentVariable("EVENTUALI_ANALYTICS_URL") };
                var analytics = factory is ICrossTenantAnalyticsSource source
                    ? await source.OpenCrossTenantAnalyticsAsync(options, ct).ConfigureAwait(false)
                    : throw new UsageException("This store offers no cross-tenant analytics (shared tables, tenancy=rls, keep no analytics opt-in yet); use a sqlite://DIR/?tenancy=file or postgresql://…?tenancy=schema store.");
                var result = await analytics.ReadAsync(tenants, ct).ConfigureAwait(false);
                await (json ? WriteJsonAsync(io.Out, result) : WriteCsvAsync(io.Out, result)).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task WriteCsvAsync(TextWriter output, IReadOnlyList<TenantAnalytics> result)
    {
        await output.WriteLineAsync("tenant,tier,streams,events,bytes,event_type,type_events").ConfigureAwait(false);
        foreach (var t in result)
        {
            var prefix = string.Join(',', t.Tenant.Value, t.Tier, Number(t.Streams), Number(t.Usage.Events), Number(t.Usage.Bytes));
            if (t.EventsByType.Count == 0)
            {
                await output.WriteLineAsync(prefix + ",,0").ConfigureAwait(false);
            }

            foreach (var (type, count) in t.EventsByType)
            {
                await output.WriteLineAsync(prefix + "," + Field(type) + "," + Number(count)).ConfigureAwait(false);
            }
        }
    }

    private static async Task WriteJsonAsync(TextWriter output, IReadOnlyList<TenantAnalytics> result)
    {
        foreach (var t in result)
        {
            await output.WriteLineAsync(Json.Object(w =>
            {
                w.WriteString("tenant", t.Tenant.Value);
                w.WriteString("tier", t.Tier);
                w.WriteNumber("streams", t.Streams);
                w.WriteNumber("events", t.Usage.Events);
                w.WriteNumber("bytes", t.Usage.Bytes);
                w.WriteNumber("reads", t.Usage.Reads);
                w.WriteNumber("storage_bytes", t.Usage.StorageBytes);
                w.WriteStartObject("events_by_type");
                foreach (var (type, count) in t.EventsByType)
                {
                    w.WriteNumber(type, count);
                }

                w.WriteEndObject();
            })).ConfigureAwait(false);
        }
    }

    // Tenant ids and tiers hold no commas or quotes (their rules); an event type may.
    private static string Field(string text)
        => text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
