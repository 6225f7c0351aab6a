using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Eventuali.Migrations;

namespace Eventuali.Cli.Commands;

/// <summary>Text and JSON forms of migration status, plans and results.</summary>
internal static class MigrateOutput
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = Cli.Json.Encoder };

    public static string Text(MigrationStatus s)
    {
        var b = new StringBuilder();
        Line(b, $"Store    {s.Store}");
        var pending = s.Pending.Count();
        Line(b, s.LatestVersion == 0
            ? "Version  none: this store keeps no schema; nothing to migrate"
            : !s.StoreExists
            ? $"Version  none: the store does not exist yet (latest {s.LatestVersion}); 'eventuali migrate up' creates it"
            : $"Version  {s.CurrentVersion} (latest {s.LatestVersion}), {pending} pending{(s.HistoryRecorded ? string.Empty : "; history not recorded yet (recorded on the next upgrade or open)")}");
        foreach (var m in s.Migrations)
        {
            var detail = m.State switch
            {
                MigrationState.Applied when m.AppliedAt is { } at => $"applied  {Stamp(at)}  {m.ExecutionMilliseconds} ms  sha256 {Short(m.Checksum)}",
                MigrationState.Applied => $"applied  (recorded at the next upgrade or open)  sha256 {Short(m.Checksum)}",
                MigrationState.Pending => $"pending  sha256 {Short(m.Checksum)}",
                MigrationState.Modified => $"ERROR modified after it was applied: recorded sha256 {Short(m.RecordedChecksum!)}, script sha256 {Short(m.Checksum)}",
                MigrationState.Unknown => "ERROR recorded in the store, unknown to this eventuali",
                _ => "ERROR never applied, numbered below the store's version",
            };
            Line(b, $"  {m.Version:D3} {m.Name,-20} {detail}");
        }

        if (s.StoreExists && pending > 0 && !s.Errors.Any())
        {
            Line(b, "Run 'eventuali migrate up' to apply the pending migrations ('--dry-run' prints their SQL).");
        }

        return b.ToString().TrimEnd();
    }

    public static string Json(MigrationStatus s) => new JsonObject
    {
        ["store"] = s.Store,
        ["exists"] = s.StoreExists,
        ["currentVersion"] = s.CurrentVersion,
        ["latestVersion"] = s.LatestVersion,
        ["historyRecorded"] = s.HistoryRecorded,
        ["upToDate"] = s.IsUpToDate,
        ["migrations"] = new JsonArray([.. s.Migrations.Select(Node)]),
    }.ToJsonString(Compact);

    public static string Text(MigrationPlan p)
    {
        var b = new StringBuilder();
        Line(b, p.Migrations.Count == 0
            ? $"-- Dry run: the {p.Store} is at version {p.CurrentVersion}; nothing to apply{(p.SupportSql.Count > 0 ? " (up would only record its migration history)" : string.Empty)}. Nothing was changed."
            : $"-- Dry run: the {p.Store} is at version {p.CurrentVersion}; up would apply {p.Migrations.Count} migration(s), each in its own transaction, to reach version {p.TargetVersion}. Nothing was changed.");
        foreach (var m in p.Migrations)
        {
            Line(b, string.Empty);
            Line(b, $"-- migration {m.Version:D3} {m.Name} (sha256 {m.Checksum})");
            Line(b, m.Sql.TrimEnd());
        }

        foreach (var sql in p.SupportSql)
        {
            Line(b, string.Empty);
            Line(b, "-- bookkeeping by the runner");
            Line(b, sql.TrimEnd());
        }

        return b.ToString().TrimEnd();
    }

    public static string Json(MigrationPlan p) => new JsonObject
    {
        ["store"] = p.Store,
        ["dryRun"] = true,
        ["currentVersion"] = p.CurrentVersion,
        ["targetVersion"] = p.TargetVersion,
        ["migrations"] = new JsonArray([.. p.Migrations.Select(m => (JsonNode)new JsonObject
        {
            ["version"] = m.Version,
            ["name"] = m.Name,
            ["checksum"] = m.Checksum,
            ["sql"] = m.Sql,
        })]),
        ["supportSql"] = new JsonArray([.. p.SupportSql.Select(s => (JsonNode?)JsonValue.Create(s))]),
    }.ToJsonString(Compact);

    public static string Text(MigrationResult r)
    {
        var b = new StringBuilder();
        if (r.Adopted > 0)
        {
            Line(b, $"Recorded {r.Adopted} migration(s) the store already had in its new migration history.");
        }

        foreach (var m in r.Applied)
        {
            Line(b, $"Applied {m.Version:D3} {m.Name} ({m.ExecutionMilliseconds} ms)");
        }

        Line(b, r.Applied.Count == 0
            ? $"The {r.Store} is at schema version {r.ToVersion}; nothing to apply."
            : $"The {r.Store} is now at schema version {r.ToVersion} (was {r.FromVersion}).");
        return b.ToString().TrimEnd();
    }

    public static string Json(MigrationResult r) => new JsonObject
    {
        ["store"] = r.Store,
        ["fromVersion"] = r.FromVersion,
        ["toVersion"] = r.ToVersion,
        ["adopted"] = r.Adopted,
        ["applied"] = new JsonArray([.. r.Applied.Select(Node)]),
    }.ToJsonString(Compact);

    private static JsonNode Node(MigrationInfo m) => new JsonObject
    {
        ["version"] = m.Version,
        ["name"] = m.Name,
        ["state"] = m.State.ToString().ToLowerInvariant(),
        ["checksum"] = m.Checksum,
        ["recordedChecksum"] = m.RecordedChecksum,
        ["appliedAt"] = m.AppliedAt is { } at ? Stamp(at) : null,
        ["executionMs"] = m.ExecutionMilliseconds,
    };

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Short(string checksum) => checksum.Length > 12 ? checksum[..12] : checksum;

    private static void Line(StringBuilder b, string text) => b.Append(text).Append('\n');
}
