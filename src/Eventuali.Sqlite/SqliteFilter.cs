using System.Text;
using System.Text.Json;

namespace Eventuali.Sqlite;

/// <summary>
/// An <see cref="EventFilter"/> as SQL parameters. A stream-id prefix becomes an index range on
/// streams.name: [prefix, prefix with its last code point incremented). SQLite compares TEXT as
/// UTF-8 bytes, which orders like code points, so the range holds exactly the names with that prefix.
/// </summary>
internal sealed record SqliteFilter(string? PrefixLow, string? PrefixHigh, string? EventTypesJson)
{
    public static SqliteFilter? From(EventFilter? filter)
    {
        if (filter is null || (filter.StreamIdPrefix is null && !filter.HasEventTypes))
        {
            return null;
        }

        var types = filter.HasEventTypes ? JsonSerializer.Serialize(filter.EventTypes!.ToArray(), SqliteJsonContext.Default.StringArray) : null;
        var prefix = string.IsNullOrEmpty(filter.StreamIdPrefix) ? null : filter.StreamIdPrefix;
        return new SqliteFilter(prefix, prefix is null ? null : UpperBound(prefix), types);
    }

    /// <summary>The smallest string greater than every string starting with <paramref name="prefix"/>; null when none exists.</summary>
    internal static string? UpperBound(string prefix)
    {
        var runes = prefix.EnumerateRunes().ToList();
        while (runes.Count > 0)
        {
            var last = runes[^1].Value;
            runes.RemoveAt(runes.Count - 1);
            if (last == 0x10FFFF)
            {
                continue;
            }

            var next = last + 1 == 0xD800 ? 0xE000 : last + 1;
            var builder = new StringBuilder(prefix.Length + 1);
            foreach (var rune in runes)
            {
                builder.Append(rune.ToString());
            }

            return builder.Append(new Rune(next).ToString()).ToString();
        }

        return null;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class SqliteJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
