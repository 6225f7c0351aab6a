using System.Globalization;
using System.Text;
using System.Text.Json;
using Eventuali.Typed;

namespace Eventuali.Cli.Schema;

/// <summary>
/// One streaming pass over the global log, checking every stored event against the code and the schema file: its type
/// name must be read by a registered type (or an alias), and its JSON payload's top-level fields must be known to the
/// code (checked on the raw bytes, without building objects). The first <c>sample</c> events of each type are also
/// fully deserialized (with upcasters), which catches values of the wrong JSON type.
/// </summary>
internal sealed class StoredEventScan(EventTypeRegistry types, SchemaSnapshot? recorded, SchemaSnapshot code, int sample)
{
    private readonly Dictionary<string, TypeStats> _stats = new(StringComparer.Ordinal);

    public long Events { get; private set; }

    public async Task<List<SchemaFinding>> RunAsync(IEventStore store, Action<long> progress, CancellationToken ct)
    {
        await foreach (var e in store.ReadAllAsync(cancellationToken: ct).ConfigureAwait(false))
        {
            if (!_stats.TryGetValue(e.EventType, out var stats))
            {
                stats = NewStats(e.EventType);
                _stats.Add(e.EventType, stats);
            }

            Check(e, stats);
            if (++Events % 100_000 == 0)
            {
                progress(Events);
            }
        }

        progress(Events);
        return [.. _stats.Values.SelectMany(Findings)];
    }

    private TypeStats NewStats(string name)
    {
        var known = types.TryGetType(name, out var type);
        var shape = known ? code.Types.FirstOrDefault(t => t.ClrType == (type.FullName ?? type.Name)) : null;
        var fields = shape?.Fields.Select(f => Encoding.UTF8.GetBytes(f.Name)).ToArray() ?? [];
        return new TypeStats(name, known, shape, fields, recorded is null || recorded.Find(name) is not null || recorded.Types.Any(t => t.Aliases.Contains(name)));
    }

    private void Check(RecordedEvent e, TypeStats stats)
    {
        stats.Count++;
        if (!stats.Known)
        {
            return;
        }

        if (stats.Deserialized < sample)
        {
            stats.Deserialized++;
            try
            {
                types.Deserialize(e);
            }
            catch (EventDeserializationException ex)
            {
                stats.Failures++;
                stats.FirstFailure ??= $"position {e.Position} (stream '{e.StreamId}' version {e.StreamVersion}): {ex.InnerException?.Message ?? ex.Message}";
            }
        }

        if (e.ContentType == ContentTypes.Json && stats.Shape is not null)
        {
            CheckFields(e, stats);
        }
    }

    /// <summary>Reads the payload's top-level property names as bytes and counts those the code's type does not have.</summary>
    private static void CheckFields(RecordedEvent e, TypeStats stats)
    {
        var reader = new Utf8JsonReader(e.Data.Span);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                stats.NotObjects++;
                stats.FirstFailure ??= $"position {e.Position}: the payload is not a JSON object";
                return;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!Known(ref reader, stats.FieldNames))
                {
                    var name = reader.GetString()!;
                    stats.UnknownFields[name] = stats.UnknownFields.GetValueOrDefault(name) + 1;
                }

                reader.Read();
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            stats.NotObjects++;
            stats.FirstFailure ??= $"position {e.Position}: the payload is not valid JSON";
        }
    }

    private static bool Known(ref Utf8JsonReader reader, byte[][] names)
    {
        foreach (var n in names)
        {
            if (reader.ValueTextEquals(n))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<SchemaFinding> Findings(TypeStats s)
    {
        var c = CultureInfo.InvariantCulture;
        if (!s.Known)
        {
            yield return new(FindingSeverity.Breaking, s.Name, string.Create(c, $"{s.Count:N0} stored event(s) of type '{s.Name}' have no registered type (missing type): they cannot be read."),
                $"register the type that reads them (types.Register<T>(\"{s.Name}\")), or an alias: types.AddAlias<T>(\"{s.Name}\");");
            yield break;
        }

        if (!s.InSchemaFile)
        {
            yield return new(FindingSeverity.Warning, s.Name, string.Create(c, $"{s.Count:N0} stored event(s) of type '{s.Name}', which the schema file does not record (run 'eventuali schema snapshot')."));
        }

        if (s.Failures > 0 || s.NotObjects > 0)
        {
            yield return new(FindingSeverity.Breaking, s.Name, string.Create(c, $"{s.Failures + s.NotObjects:N0} stored event(s) of type '{s.Name}' cannot be read by {s.Shape?.ClrType ?? "the code"}; first at {s.FirstFailure}."),
                "keep the shape they were written with as its own type and add an upcaster from it (see the suggestion for the type above).");
        }

        foreach (var (field, count) in s.UnknownFields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            yield return new(FindingSeverity.Breaking, s.Name, string.Create(c, $"{count:N0} stored event(s) of type '{s.Name}' carry field '{field}', which {DisplayType(s)} no longer has: reading them drops it."),
                $"add '{field}' back, or keep the old shape as its own type with an upcaster that carries '{field}' over.");
        }
    }

    private static string DisplayType(TypeStats s) => s.Shape is null ? "the code" : SchemaDiff.Short(s.Shape.ClrType);

    private sealed class TypeStats(string name, bool known, TypeShape? shape, byte[][] fieldNames, bool inSchemaFile)
    {
        public string Name => name;

        public bool Known => known;

        public TypeShape? Shape => shape;

        public byte[][] FieldNames => fieldNames;

        public bool InSchemaFile => inSchemaFile;

        public long Count { get; set; }

        public int Deserialized { get; set; }

        public long Failures { get; set; }

        public long NotObjects { get; set; }

        public string? FirstFailure { get; set; }

        public Dictionary<string, long> UnknownFields { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>Events per stored type, for the report.</summary>
    public IEnumerable<(string Type, long Events)> Counts => _stats.Values.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => (s.Name, s.Count));
}
