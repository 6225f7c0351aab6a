using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using Eventuali.Typed;
using Google.Protobuf.Reflection;

namespace Eventuali.Cli.Schema;

/// <summary>Reads the shapes of every type registered on a registry (the typed layer is the source of truth).</summary>
internal static class SchemaReader
{
    private static readonly JsonSerializerOptions DefaultJson = JsonEventSerializer.CreateDefaultOptions();

    [RequiresUnreferencedCode("Reads the public properties and protobuf descriptors of application types.")]
    [RequiresDynamicCode("Builds JSON Schemas of application types.")]
    public static SchemaSnapshot Read(EventTypeRegistry types)
    {
        var aliases = types.Aliases.ToLookup(a => a.Value, a => a.Key);
        var shapes = new List<TypeShape>();
        foreach (var (name, type) in types.RegisteredTypes)
        {
            try
            {
                shapes.Add(Shape(types, name, type, [.. aliases[type]]));
            }
            catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or ArgumentException)
            {
                throw new EventualiException($"Reading the shape of event type '{name}' ({type.FullName}) failed: {ex.Message}");
            }
        }

        return new SchemaSnapshot(SchemaSnapshot.CurrentFormat, shapes);
    }

    [RequiresUnreferencedCode("Reads the public properties and protobuf descriptors of application types.")]
    [RequiresDynamicCode("Builds JSON Schemas of application types.")]
    private static TypeShape Shape(EventTypeRegistry types, string name, Type type, IReadOnlyList<string> aliases)
    {
        var serializer = types.SerializerFor(type);
        var version = type.GetCustomAttribute<EventTypeAttribute>()?.Version ?? 1;
        var upcastsTo = types.UpcastTargetOf(type) is { } target ? types.GetName(target) : null;
        if (serializer.ContentType == ContentTypes.Protobuf)
        {
            var descriptor = type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as MessageDescriptor;
            var fields = descriptor?.Fields.InFieldNumberOrder().Select(f => new FieldShape(f.Name, $"{f.FieldType.ToString().ToLowerInvariant()}{(f.IsRepeated ? "[]" : string.Empty)} #{f.FieldNumber}", f.FieldType.ToString())).ToList() ?? [];
            return new TypeShape(name, type.FullName ?? type.Name, version, serializer.ContentType, fields, aliases, upcastsTo, null);
        }

        var options = serializer is JsonEventSerializer json ? json.Options : DefaultJson;
        var schema = options.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });
        var clrTypes = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .ToDictionary(p => options.PropertyNamingPolicy?.ConvertName(p.Name) ?? p.Name, p => Friendly(p.PropertyType), StringComparer.Ordinal);
        var shapeFields = new List<FieldShape>();
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (field, fieldSchema) in properties)
            {
                shapeFields.Add(new FieldShape(field, JsonType(fieldSchema), clrTypes.GetValueOrDefault(field, "?")));
            }
        }

        return new TypeShape(name, type.FullName ?? type.Name, version, serializer.ContentType, shapeFields, aliases, upcastsTo, schema);
    }

    /// <summary>The JSON type of a property schema, compactly: "string", "integer?", "array&lt;number&gt;", "object".</summary>
    internal static string JsonType(JsonNode? schema)
    {
        if (schema is not JsonObject o)
        {
            return "any";
        }

        var nullable = false;
        string? type = null;
        switch (o["type"])
        {
            case JsonValue v:
                type = v.GetValue<string>();
                break;
            case JsonArray a:
                var names = a.Select(n => n!.GetValue<string>()).ToList();
                nullable = names.Remove("null");
                type = names.Count == 1 ? names[0] : string.Join("|", names);
                break;
        }

        if (type == "array" && o["items"] is { } items)
        {
            type = $"array<{JsonType(items)}>";
        }

        return (type ?? (o["enum"] is not null ? "enum" : "any")) + (nullable ? "?" : string.Empty);
    }

    private static string Friendly(Type t)
    {
        if (Nullable.GetUnderlyingType(t) is { } inner)
        {
            return Friendly(inner) + "?";
        }

        if (!t.IsGenericType)
        {
            return t.Namespace == "System" ? t.Name : t.FullName ?? t.Name;
        }

        var name = t.Name[..t.Name.IndexOf('`', StringComparison.Ordinal)];
        return $"{name}<{string.Join(", ", t.GetGenericArguments().Select(Friendly))}>";
    }
}
