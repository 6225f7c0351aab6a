using System.Text.Json;
using System.Text.Json.Nodes;

namespace Eventuali.Cli.Schema;

/// <summary>Writes and reads the committed schema file (indented JSON, stable order, so diffs in review are small).</summary>
internal static class SchemaFile
{
    public const string DefaultPath = "eventuali.schema.json";

    public static string ToJson(SchemaSnapshot snapshot)
    {
        var types = new JsonArray();
        foreach (var t in snapshot.Types)
        {
            var fields = new JsonArray();
            foreach (var f in t.Fields)
            {
                fields.Add((JsonNode)new JsonObject { ["name"] = f.Name, ["type"] = f.Type, ["clrType"] = f.ClrType });
            }

            var o = new JsonObject
            {
                ["name"] = t.Name,
                ["clrType"] = t.ClrType,
                ["version"] = t.Version,
                ["contentType"] = t.ContentType,
                ["fields"] = fields,
            };
            if (t.Aliases.Count > 0)
            {
                o["aliases"] = new JsonArray([.. t.Aliases.Select(a => (JsonNode)a!)]);
            }

            if (t.UpcastsTo is not null)
            {
                o["upcastsTo"] = t.UpcastsTo;
            }

            if (t.JsonSchema is not null)
            {
                o["jsonSchema"] = t.JsonSchema.DeepClone();
            }

            types.Add((JsonNode)o);
        }

        var root = new JsonObject { ["formatVersion"] = snapshot.FormatVersion, ["types"] = types };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = Json.Encoder }) + "\n";
    }

    /// <summary>Reads <paramref name="path"/>; a missing, malformed or newer-format file throws <see cref="UsageException"/> naming the file.</summary>
    public static SchemaSnapshot Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"The schema file '{path}' does not exist; record one with 'eventuali schema snapshot --assembly PATH --output {path}'.");
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new SchemaFileException($"The schema file '{path}' is not valid JSON: {ex.Message}");
        }

        var version = root?["formatVersion"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : (int?)null;
        if (version is null)
        {
            throw new SchemaFileException($"The schema file '{path}' has no formatVersion; is it an eventuali schema file?");
        }

        if (version > SchemaSnapshot.CurrentFormat)
        {
            throw new SchemaFileException($"The schema file '{path}' has format version {version}, written by a newer eventuali; this one reads format {SchemaSnapshot.CurrentFormat}. Update eventuali.");
        }

        var types = new List<TypeShape>();
        foreach (var t in root!["types"] as JsonArray ?? throw Malformed(path, "it has no types array"))
        {
            var name = Text(t, "name", path);
            types.Add(new TypeShape(
                name,
                Text(t, "clrType", path),
                t!["version"] is JsonValue tv && tv.TryGetValue<int>(out var tn) ? tn : 1,
                t["contentType"] is JsonValue ct && ct.TryGetValue<string>(out var cts) ? cts : ContentTypes.Json,
                [.. (t["fields"] as JsonArray ?? throw Malformed(path, $"type '{name}' has no fields array")).Select(f => new FieldShape(Text(f, "name", path), Text(f, "type", path), f!["clrType"] is JsonValue c && c.TryGetValue<string>(out var cs) ? cs : "?"))],
                [.. (t["aliases"] as JsonArray ?? []).Select(a => a is JsonValue av && av.TryGetValue<string>(out var alias) ? alias : throw Malformed(path, $"an alias of type '{name}' is not a string"))],
                t["upcastsTo"] is JsonValue u && u.TryGetValue<string>(out var us) ? us : null,
                t["jsonSchema"]?.DeepClone()));
        }

        return new SchemaSnapshot(version.Value, types);
    }

    private static string Text(JsonNode? node, string property, string path)
        => node is JsonObject o && o[property] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0
            ? s
            : throw Malformed(path, $"an entry has no '{property}' text");

    private static SchemaFileException Malformed(string path, string what) => new($"The schema file '{path}' is malformed: {what}.");
}

/// <summary>The schema file cannot be used (exit code 1, one line naming the file).</summary>
internal sealed class SchemaFileException(string message) : EventualiException(message);
