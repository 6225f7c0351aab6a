using System.Collections.Concurrent;

namespace Eventuali.Sqlite;

/// <summary>
/// Stream names by stream row id and back. A streams row never changes once committed, so entries
/// never go stale; only committed rows are cached (readers see nothing else). Bounded: cleared when full.
/// </summary>
internal sealed class StreamNameCache
{
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<long, string> _names = new();
    private readonly ConcurrentDictionary<string, long> _ids = new(StringComparer.Ordinal);

    public string Get(long streamRowId, ReadSession session)
    {
        if (_names.TryGetValue(streamRowId, out var name))
        {
            return name;
        }

        name = session.LookupStreamName(streamRowId);
        Remember(streamRowId, name);
        return name;
    }

    /// <summary>The stream's row id, or null when the stream does not exist (misses are not cached).</summary>
    public long? GetId(string streamName, ReadSession session)
    {
        if (_ids.TryGetValue(streamName, out var id))
        {
            return id;
        }

        if (session.LookupStreamId(streamName) is not { } found)
        {
            return null;
        }

        Remember(found, streamName);
        return found;
    }

    private void Remember(long id, string name)
    {
        if (_names.Count >= MaxEntries || _ids.Count >= MaxEntries)
        {
            _names.Clear();
            _ids.Clear();
        }

        _names.TryAdd(id, name);
        _ids.TryAdd(name, id);
    }
}
