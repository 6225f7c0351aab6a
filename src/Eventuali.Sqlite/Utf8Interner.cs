using System.Text;

namespace Eventuali.Sqlite;

/// <summary>
/// Reuses the string of a UTF-8 value seen before (event types, content types), so reading
/// a row does not allocate a new string for them. Bounded; not thread-safe (one per read session).
/// </summary>
internal sealed class Utf8Interner
{
    private const int MaxEntries = 256;

    private readonly Dictionary<int, (byte[] Utf8, string Value)> _entries = [];
    private (byte[] Utf8, string Value) _last = ([], string.Empty);

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.SequenceEqual(_last.Utf8))
        {
            return _last.Value;
        }

        var hash = new HashCode();
        hash.AddBytes(utf8);
        var key = hash.ToHashCode();
        if (_entries.TryGetValue(key, out var entry) && utf8.SequenceEqual(entry.Utf8))
        {
            _last = entry;
            return entry.Value;
        }

        var text = Encoding.UTF8.GetString(utf8);
        if (_entries.Count < MaxEntries && _entries.TryAdd(key, (utf8.ToArray(), text)))
        {
            _last = _entries[key];
        }

        return text;
    }
}
