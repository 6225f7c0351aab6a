using System.Globalization;
using System.Text.Json.Nodes;

namespace Eventuali.Tools.Debugging;

/// <summary>The differences between two JSON documents, path by path (objects by property, arrays by index).</summary>
public static class JsonDiff
{
    /// <summary>The changes from <paramref name="before"/> to <paramref name="after"/>, in document order.</summary>
    public static IReadOnlyList<JsonChange> Compare(string before, string after)
    {
        var changes = new List<JsonChange>();
        Walk("$", JsonNode.Parse(before), JsonNode.Parse(after), changes);
        return changes;
    }

    private static void Walk(string path, JsonNode? a, JsonNode? b, List<JsonChange> changes)
    {
        if (a is JsonObject oa && b is JsonObject ob)
        {
            foreach (var (name, value) in oa)
            {
                var child = Child(path, name);
                if (ob.TryGetPropertyValue(name, out var other))
                {
                    Walk(child, value, other, changes);
                }
                else
                {
                    changes.Add(new JsonChange(child, JsonChangeKind.Removed, Text(value), null));
                }
            }

            foreach (var (name, value) in ob)
            {
                if (!oa.ContainsKey(name))
                {
                    changes.Add(new JsonChange(Child(path, name), JsonChangeKind.Added, null, Text(value)));
                }
            }

            return;
        }

        if (a is JsonArray xa && b is JsonArray xb)
        {
            for (var i = 0; i < Math.Max(xa.Count, xb.Count); i++)
            {
                var child = path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                if (i >= xb.Count)
                {
                    changes.Add(new JsonChange(child, JsonChangeKind.Removed, Text(xa[i]), null));
                }
                else if (i >= xa.Count)
                {
                    changes.Add(new JsonChange(child, JsonChangeKind.Added, null, Text(xb[i])));
                }
                else
                {
                    Walk(child, xa[i], xb[i], changes);
                }
            }

            return;
        }

        if (!JsonNode.DeepEquals(a, b))
        {
            changes.Add(new JsonChange(path, JsonChangeKind.Changed, Text(a), Text(b)));
        }
    }

    private static string Child(string path, string name)
        => name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? path + "." + name : path + "['" + name.Replace("'", "\\'", StringComparison.Ordinal) + "']";

    private static string Text(JsonNode? node) => node?.ToJsonString() ?? "null";
}
