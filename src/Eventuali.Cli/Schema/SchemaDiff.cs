using System.Globalization;
using System.Text;

namespace Eventuali.Cli.Schema;

/// <summary>
/// Compares the code's event types with the committed schema file. Breaking: a recorded type that the code no longer
/// reads (removed, or renamed without an alias), and a recorded type whose fields were removed or retyped under the
/// same stored name (its stored events were written with the old shape; the old shape needs to stay as a type with an
/// upcaster to the new one). Added types and fields are compatible.
/// </summary>
internal static class SchemaDiff
{
    public static List<SchemaFinding> Compare(SchemaSnapshot recorded, SchemaSnapshot code)
    {
        var findings = new List<SchemaFinding>();
        var codeByName = code.Types.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var aliasOwner = code.Types.SelectMany(t => t.Aliases.Select(a => (Alias: a, Type: t))).ToDictionary(p => p.Alias, p => p.Type, StringComparer.Ordinal);
        foreach (var old in recorded.Types)
        {
            if (codeByName.TryGetValue(old.Name, out var now))
            {
                CompareFields(old, now, findings);
            }
            else if (aliasOwner.TryGetValue(old.Name, out var owner))
            {
                findings.Add(new(FindingSeverity.Info, old.Name, $"renamed to '{owner.Name}'; stored '{old.Name}' events are read through its alias."));
            }
            else if (code.Types.FirstOrDefault(t => t.ClrType == old.ClrType) is { } renamed)
            {
                findings.Add(new(FindingSeverity.Breaking, old.Name, $"renamed to '{renamed.Name}' ({Short(renamed.ClrType)}) without an alias: stored '{old.Name}' events can no longer be read.",
                    $"types.AddAlias<{Short(renamed.ClrType)}>(\"{old.Name}\");"));
            }
            else
            {
                findings.Add(new(FindingSeverity.Breaking, old.Name, $"no registered type reads '{old.Name}' any more (it was {Short(old.ClrType)}): stored events of it can no longer be read.",
                    $"keep {Short(old.ClrType)} registered as \"{old.Name}\", or give its successor the alias: types.AddAlias<NewType>(\"{old.Name}\");"));
            }
        }

        foreach (var added in code.Types.Where(t => recorded.Find(t.Name) is null && !recorded.Types.Any(r => r.Aliases.Contains(t.Name))))
        {
            findings.Add(new(FindingSeverity.Info, added.Name, $"new type {Short(added.ClrType)}, not in the schema file yet (run 'eventuali schema snapshot' to record it)."));
        }

        return findings;
    }

    private static void CompareFields(TypeShape old, TypeShape now, List<SchemaFinding> findings)
    {
        var current = now.Fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var changes = new List<string>();
        foreach (var field in old.Fields)
        {
            if (!current.Remove(field.Name, out var f))
            {
                changes.Add($"field '{field.Name}' ({field.Type}) removed");
            }
            else if (f.Type != field.Type)
            {
                changes.Add($"field '{field.Name}' retyped from {field.Type} to {f.Type}");
            }
        }

        if (changes.Count > 0)
        {
            findings.Add(new(FindingSeverity.Breaking, old.Name, $"{string.Join(", ", changes)} without an upcaster: stored '{old.Name}' events have the old shape.", Upcaster(old, now)));
        }

        if (current.Count > 0)
        {
            findings.Add(new(FindingSeverity.Info, old.Name, $"field(s) added: {string.Join(", ", current.Keys)} (stored events read them as their defaults)."));
        }

        if (now.Version < old.Version)
        {
            findings.Add(new(FindingSeverity.Warning, old.Name, string.Create(CultureInfo.InvariantCulture, $"version went down from {old.Version} to {now.Version}.")));
        }
    }

    /// <summary>The upcaster to write: the old shape kept under the stored name, the new shape under a new name.</summary>
    private static string Upcaster(TypeShape old, TypeShape now)
    {
        var current = Short(now.ClrType);
        var legacy = string.Create(CultureInfo.InvariantCulture, $"{current}V{old.Version}");
        var next = old.Version + 1;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"[EventType(\"{old.Name}\", Version = {old.Version})] record {legacy}(");
        sb.AppendJoin(", ", old.Fields.Select(f => $"{Pascal(f.ClrType)} {Pascal(f.Name)}"));
        sb.Append(CultureInfo.InvariantCulture, $"); mark {current} [EventType(\"{NextName(old.Name, next)}\", Version = {next})]; then types.AddUpcaster<{legacy}, {current}>(old => new {current}(");
        var oldNames = old.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        sb.AppendJoin(", ", now.Fields.Select(f => oldNames.Contains(f.Name) && old.Fields.First(o => o.Name == f.Name).Type == f.Type ? $"old.{Pascal(f.Name)}" : $"/* {f.Name} */ default"));
        sb.Append("));");
        return sb.ToString();
    }

    /// <summary>"item-added" or "item-added-v2" at version 3 becomes "item-added-v3".</summary>
    private static string NextName(string name, int version)
        => string.Create(CultureInfo.InvariantCulture, $"{System.Text.RegularExpressions.Regex.Replace(name, "-v[0-9]+$", string.Empty)}-v{version}");

    internal static string Short(string clrType) => clrType[(clrType.LastIndexOfAny(['.', '+']) + 1)..];

    private static string Pascal(string name) => name.Length == 0 || name == "?" ? "object" : char.ToUpperInvariant(name[0]) + name[1..];
}
