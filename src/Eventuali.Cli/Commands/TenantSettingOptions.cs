using System.CommandLine;
using System.Globalization;
using Eventuali.Cli.Commands.Stream;
using Eventuali.Lifecycle;
using Eventuali.Tenancy;

namespace Eventuali.Cli.Commands;

/// <summary>The <c>tenants config</c> options of the settings applied when a tenant's store opens: retention, snapshots, encryption.</summary>
internal static class TenantSettingOptions
{
    public static (Option<string?> KeepCount, Option<string?> KeepAge, Option<string?> Snapshots, Option<string?> Encryption) Create()
    {
        var encryption = new Option<string?>("--encryption") { Description = "on: the tenant's store refuses personal data (eventuali-personal) that arrives unencrypted; off: it refuses encrypted events; default: the application decides." };
        encryption.AcceptOnlyFromAmong("on", "off", "default");
        return (
            new Option<string?>("--retention-max-count") { Description = "Events 'stream retention --tenant ID' keeps per stream of the tenant ('none': no limit).", HelpName = "n" },
            new Option<string?>("--retention-max-age") { Description = "Age beyond which 'stream retention --tenant ID' removes the tenant's events: 90s, 15m, 12h, 30d ('none': no limit).", HelpName = "age" },
            new Option<string?>("--snapshot-every") { Description = "The tenant's repositories take a snapshot every N events, for every snapshottable aggregate ('none': the application's policies).", HelpName = "n" },
            encryption);
    }

    public static TenantConfiguration Apply(ParseResult parse, TenantConfiguration configuration, Option<string?> keepCount, Option<string?> keepAge, Option<string?> snapshots, Option<string?> encryption)
    {
        var count = Number(parse, keepCount, configuration.Retention?.MaxCount);
        var age = parse.GetValue(keepAge) switch
        {
            null => configuration.Retention?.MaxAge,
            var t when t.Equals("none", StringComparison.OrdinalIgnoreCase) => null,
            var t => StreamRetentionCommand.TryParseAge(t, out var a) && a > TimeSpan.Zero ? a : throw new UsageException($"--retention-max-age must be an age such as 30d, 12h or 90s, or 'none'; got '{t}'."),
        };
        return configuration with
        {
            Retention = count is null && age is null ? null : new StoreRetention(count, age),
            SnapshotEveryEvents = Number(parse, snapshots, configuration.SnapshotEveryEvents),
            Encryption = parse.GetValue(encryption) switch { null => configuration.Encryption, "on" => true, "off" => false, _ => null },
        };
    }

    public static string Describe(TenantConfiguration c)
        => string.Create(CultureInfo.InvariantCulture,
            $"retention-max-count {Show(c.Retention?.MaxCount)}, retention-max-age {(c.Retention?.MaxAge is { } a ? Show((long)a.TotalSeconds) + "s" : "none")}, snapshot-every {Show(c.SnapshotEveryEvents)}, encryption {c.Encryption switch { true => "on", false => "off", null => "default" }}");

    private static int? Number(ParseResult parse, Option<string?> option, int? current)
        => parse.GetValue(option) switch
        {
            null => current,
            var t when t.Equals("none", StringComparison.OrdinalIgnoreCase) => null,
            var t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n : throw new UsageException($"{option.Name} must be a whole number of 1 or more, or 'none'; got '{t}'."),
        };

    private static string Show(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "none";
}
