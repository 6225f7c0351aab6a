using System.Text.Json.Nodes;

namespace Eventuali.Cli.Schema;

/// <summary>The committed schema file: every registered event type's shape. Its format is versioned so an older tool refuses a newer file.</summary>
internal sealed record SchemaSnapshot(int FormatVersion, IReadOnlyList<TypeShape> Types)
{
    /// <summary>The format this build writes and reads.</summary>
    public const int CurrentFormat = 1;

    public TypeShape? Find(string name) => Types.FirstOrDefault(t => t.Name == name);
}

/// <summary>
/// One stored event type: its name, the CLR type and version that read it, its content type, its fields (JSON: from the
/// type's JSON Schema, with JSON types; protobuf: from the message descriptor), the earlier names read as it
/// (aliases), and the type its upcaster turns it into. <see cref="JsonSchema"/> is kept for people and other tools.
/// </summary>
internal sealed record TypeShape(
    string Name,
    string ClrType,
    int Version,
    string ContentType,
    IReadOnlyList<FieldShape> Fields,
    IReadOnlyList<string> Aliases,
    string? UpcastsTo,
    JsonNode? JsonSchema);

/// <summary>A field: name as stored, its stored type (JSON type, or protobuf field type and number) and the CLR type.</summary>
internal sealed record FieldShape(string Name, string Type, string ClrType);
