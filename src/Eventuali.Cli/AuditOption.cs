using System.CommandLine;
using System.Globalization;
using Eventuali.Security.Audit;

namespace Eventuali.Cli;

/// <summary>
/// <c>--audit off|full|sampled[:RATE]</c> (or <c>$EVENTUALI_AUDIT</c>) and <c>--audit-actor NAME</c> (or
/// <c>$EVENTUALI_ACTOR</c>, else the OS user name), accepted by every command: a store the CLI opens then records its
/// operations in the store's access audit log under that actor. Off unless asked for.
/// </summary>
internal static class AuditOption
{
    public const string Variable = "EVENTUALI_AUDIT";
    public const string ActorVariable = "EVENTUALI_ACTOR";

    private static readonly AsyncLocal<AuditOptions?> Current = new();

    /// <summary>A fresh recursive --audit option, installed on the root command.</summary>
    public static Option<string?> Create() => new("--audit")
    {
        Description = $"Record this command's store operations in the audit log: off, full, sampled or sampled:RATE (0-1). Default: ${Variable}, else off.",
        HelpName = "mode",
        Recursive = true,
    };

    /// <summary>A fresh recursive --audit-actor option, installed on the root command.</summary>
    public static Option<string?> CreateActor() => new("--audit-actor")
    {
        Description = $"Who the audit log records as acting. Default: ${ActorVariable}, else the OS user name.",
        HelpName = "name",
        Recursive = true,
    };

    /// <summary>
    /// Records this invocation's audit settings and returns the actor to act as (null when auditing is off); a
    /// malformed mode is a usage error naming what was accepted.
    /// </summary>
    public static string? Resolve(ParseResult parse, Option<string?> mode, Option<string?> actor, CliIo io)
    {
        var given = parse.GetValue(mode);
        var text = (!string.IsNullOrWhiteSpace(given) ? given : io.GetEnvironment(Variable))?.Trim() ?? "off";
        Current.Value = Parse(text);
        if (Current.Value is null)
        {
            return null;
        }

        var name = parse.GetValue(actor);
        name = !string.IsNullOrWhiteSpace(name) ? name : io.GetEnvironment(ActorVariable);
        return !string.IsNullOrWhiteSpace(name) ? name : Environment.UserName;
    }

    /// <summary><paramref name="store"/> with its operations audited when this invocation asked for it, else unchanged.</summary>
    public static IEventStore Apply(IEventStore store)
        => Current.Value is { } options ? store.WithAudit(options) : store;

    private static AuditOptions? Parse(string text)
    {
        var (mode, rate) = text.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 ? (text[..colon], text[(colon + 1)..]) : (text, null);
        switch (mode.ToUpperInvariant())
        {
            case "OFF" when rate is null:
                return null;
            case "FULL" when rate is null:
                return AuditOptions.Full;
            case "SAMPLED" when rate is null:
                return new AuditOptions { Mode = AuditMode.Sampled };
            case "SAMPLED" when double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 1:
                return AuditOptions.Sampled(r);
            default:
                throw new UsageException($"--audit / ${Variable} must be off, full, sampled or sampled:RATE with RATE from 0 to 1; got '{text}'.");
        }
    }
}
