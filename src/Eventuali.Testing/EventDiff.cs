using System.Globalization;
using System.Text;
using System.Text.Json;
using Eventuali.Typed;

namespace Eventuali.Testing;

/// <summary>
/// Compares expected and actual events by their stored form (type name and payload), so records, classes and protobuf
/// messages compare alike, and explains a mismatch: both lists, and the first differing event field by field.
/// </summary>
internal static class EventDiff
{
    /// <summary>Null when the lists hold the same events in the same order; otherwise the explanation.</summary>
    public static string? Explain(EventTypeRegistry types, IReadOnlyList<object> expected, IReadOnlyList<object> actual)
    {
        var e = expected.Select(x => Describe(types, x)).ToList();
        var a = actual.Select(x => Describe(types, x)).ToList();
        var first = FirstDifference(e, a);
        if (first < 0)
        {
            return null;
        }

        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(c, $"Expected {Count(e.Count)}, got {Count(a.Count)}; first difference at event {first + 1}.").AppendLine();
        sb.AppendLine("Expected:");
        List(sb, e, first);
        sb.AppendLine("Actual:");
        List(sb, a, first);
        if (first < e.Count && first < a.Count)
        {
            sb.Append(c, $"Event {first + 1}: ").AppendLine(FieldDifferences(e[first], a[first]));
        }
        else if (first < e.Count)
        {
            sb.Append(c, $"Event {first + 1} ({e[first].Name}) was expected but not raised.").AppendLine();
        }
        else
        {
            sb.Append(c, $"Event {first + 1} ({a[first].Name}) was raised but not expected.").AppendLine();
        }

        return sb.ToString().TrimEnd();
    }

    /// <summary>The events as lines for a message ("(none)" when empty).</summary>
    public static string Render(EventTypeRegistry types, IReadOnlyList<object> events)
    {
        if (events.Count == 0)
        {
            return "  (none)";
        }

        var sb = new StringBuilder();
        List(sb, [.. events.Select(x => Describe(types, x))], -1);
        return sb.ToString().TrimEnd();
    }

    private static readonly Guid PlaceholderId = new("00000000-0000-4000-8000-000000000001");

    internal readonly record struct Described(string Name, string Text, byte[] Payload, bool IsJson);

    internal static Described Describe(EventTypeRegistry types, object @event)
    {
        var data = types.ToEventData(@event, eventId: PlaceholderId); // only the type name and payload are compared
        var payload = data.Data.ToArray();
        var isJson = data.ContentType == ContentTypes.Json;
        var text = isJson ? Encoding.UTF8.GetString(payload) : @event.ToString() ?? data.EventType;
        return new Described(data.EventType, text, payload, isJson);
    }

    private static int FirstDifference(List<Described> e, List<Described> a)
    {
        for (var i = 0; i < Math.Max(e.Count, a.Count); i++)
        {
            if (i >= e.Count || i >= a.Count || e[i].Name != a[i].Name || !e[i].Payload.AsSpan().SequenceEqual(a[i].Payload))
            {
                return i;
            }
        }

        return -1;
    }

    private static void List(StringBuilder sb, List<Described> events, int mark)
    {
        if (events.Count == 0)
        {
            sb.AppendLine("  (none)");
        }

        for (var i = 0; i < events.Count; i++)
        {
            sb.Append(i == mark ? "> " : "  ").Append(CultureInfo.InvariantCulture, $"{i + 1}. {events[i].Name} {events[i].Text}").AppendLine();
        }
    }

    private static string FieldDifferences(Described expected, Described actual)
    {
        if (expected.Name != actual.Name)
        {
            return $"expected type {expected.Name}, got {actual.Name}.";
        }

        if (!expected.IsJson || !actual.IsJson)
        {
            return $"payloads differ: expected {expected.Text}, got {actual.Text}.";
        }

        using var e = JsonDocument.Parse(expected.Payload);
        using var a = JsonDocument.Parse(actual.Payload);
        if (e.RootElement.ValueKind != JsonValueKind.Object || a.RootElement.ValueKind != JsonValueKind.Object)
        {
            return $"expected {expected.Text}, got {actual.Text}.";
        }

        var differences = new List<string>();
        var actualFields = a.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        foreach (var field in e.RootElement.EnumerateObject())
        {
            if (!actualFields.Remove(field.Name, out var value))
            {
                differences.Add($"{field.Name}: expected {field.Value.GetRawText()}, missing");
            }
            else if (!JsonElement.DeepEquals(field.Value, value))
            {
                differences.Add($"{field.Name}: expected {field.Value.GetRawText()}, got {value.GetRawText()}");
            }
        }

        differences.AddRange(actualFields.Select(f => $"{f.Key}: not expected, got {f.Value.GetRawText()}"));
        return differences.Count == 0 ? "payloads differ in encoding only." : string.Join("; ", differences) + ".";
    }

    private static string Count(int n) => n == 1 ? "1 event" : string.Create(CultureInfo.InvariantCulture, $"{n} events");
}
