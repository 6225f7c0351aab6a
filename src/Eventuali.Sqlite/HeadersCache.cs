namespace Eventuali.Sqlite;

/// <summary>
/// The headers column parsed last, returned again while the next rows repeat its bytes: events of a stream often carry
/// the same headers, and parsing the JSON was a visible share of a read. One instance per reader (not thread-safe).
/// </summary>
internal sealed class HeadersCache
{
    private byte[] _bytes = [];
    private Dictionary<string, string>? _parsed;

    public Dictionary<string, string> Parse(ReadOnlySpan<byte> json)
    {
        if (_parsed is not null && json.SequenceEqual(_bytes))
        {
            return _parsed;
        }

        _parsed = EventRow.ReadHeaders(json);
        _bytes = json.ToArray();
        return _parsed;
    }
}
