using System.CommandLine;
using System.Globalization;
using Eventuali.Auditing;
using Eventuali.Security.Audit;

namespace Eventuali.Cli.Commands;

/// <summary>
/// <c>eventuali audit list [--from N] [--json]</c> prints the access audit log; <c>eventuali audit verify</c> checks its
/// chain, one line per finding and exit code 3 when it does not match (like <c>verify --chain</c>).
/// </summary>
internal static class AuditCommand
{
    public static Command Create(CliIo io)
    {
        var command = new Command("audit", "The access audit log: who appended, read, erased or administered what, and when (enable with --audit).")
        {
            List(io),
            Verify(io),
        };
        Examples.Add(command, "eventuali --audit full --actor alice read order-1 -d sqlite://events.db", "eventuali audit list -d sqlite://events.db --from 100", "eventuali audit verify -d sqlite://events.db");
        return command;
    }

    private static Command List(CliIo io)
    {
        var database = CommonOptions.Database();
        var from = new Option<long>("--from") { Description = "First position to print (default 1).", DefaultValueFactory = _ => 1, HelpName = "position" };
        var json = new Option<bool>("--json") { Description = "One JSON object per entry." };
        var command = new Command("list", "Print the audit entries in position order: position, time, actor, action, operation, stream, outcome, events.") { database, from, json };
        command.SetAction(async (parse, ct) =>
        {
            var start = parse.GetValue(from);
            if (start < 1)
            {
                throw new UsageException($"--from must be 1 or more; got {start.ToString(CultureInfo.InvariantCulture)}.");
            }

            var asJson = parse.GetValue(json);
            var store = await EventStore.OpenExistingAsync(CommonOptions.ResolveDatabase(parse.GetValue(database), io), EventStoreOptions.Default, ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                await foreach (var e in LogOf(store).ReadAuditAsync(start, ct).ConfigureAwait(false))
                {
                    await io.Out.WriteLineAsync(asJson ? ToJson(e) : ToText(e)).ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Verify(CliIo io)
    {
        var database = CommonOptions.Database();
        var command = new Command("verify", "Check the audit log's chain: one line per edited, relinked or missing entry, and exit code 3 when any is found.") { database };
        command.SetAction(async (parse, ct) =>
        {
            var store = await EventStore.OpenExistingAsync(CommonOptions.ResolveDatabase(parse.GetValue(database), io), EventStoreOptions.Default, ct).ConfigureAwait(false);
            AuditLogReport report;
            await using (store.ConfigureAwait(false))
            {
                LogOf(store);
                report = await new AuditLogVerifier(store).VerifyAsync(cancellationToken: ct).ConfigureAwait(false);
            }

            if (report.IsIntact)
            {
                await io.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Audit log intact: {report.EntriesChecked:N0} entries checked up to position {report.Head}.")).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            foreach (var f in report.Findings)
            {
                await io.Out.WriteLineAsync(f.Message).ConfigureAwait(false);
            }

            if (report.FindingCount > report.Findings.Count)
            {
                await io.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"... and {report.FindingCount - report.Findings.Count} more finding(s)")).ConfigureAwait(false);
            }

            await io.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"eventuali: the audit log does not match its chain: {report.FindingCount} finding(s), first at position {report.FirstBrokenPosition}.")).ConfigureAwait(false);
            return ChainVerification.Tampered;
        });
        return command;
    }

    private static IAuditLogStore LogOf(IEventStore store)
        => store.GetFeature<IAuditLogStore>() ?? throw new UsageException("this store keeps no audit log.");

    private static string ToText(AuditEntry e)
    {
        var r = e.Record;
        var outcome = r.Outcome == AuditOutcome.Succeeded ? "ok" : "failed:" + r.ErrorType;
        return string.Create(CultureInfo.InvariantCulture, $"{e.Position}\t{Stamp(r.Time)}\t{r.Actor}\t{r.Action.ToString().ToUpperInvariant()}\t{r.Operation}\t{r.StreamId ?? "-"}\t{outcome}\t{r.EventCount}");
    }

    private static string ToJson(AuditEntry e) => Json.Object(w =>
    {
        var r = e.Record;
        w.WriteNumber("position", e.Position);
        w.WriteString("time", Stamp(r.Time));
        w.WriteString("actor", r.Actor);
        w.WriteString("action", r.Action.ToString().ToUpperInvariant());
        w.WriteString("operation", r.Operation);
        w.WriteString("stream", r.StreamId);
        w.WriteString("outcome", r.Outcome == AuditOutcome.Succeeded ? "succeeded" : "failed");
        w.WriteString("error_type", r.ErrorType);
        w.WriteNumber("events", r.EventCount);
        w.WriteString("hash", Convert.ToHexStringLower(e.Hash.Span));
    });

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
