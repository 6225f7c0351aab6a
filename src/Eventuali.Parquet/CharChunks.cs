namespace Eventuali.Parquet;

/// <summary>
/// Text for one row group, appended into large char chunks and handed to the writer as slices: no string per value,
/// and nothing for the garbage collector to trace (a row group's values would otherwise be promoted out of gen0).
/// After the row group is written, <see cref="Reset"/> starts over in the first chunk and every chunk is reused: a
/// chunk is on the large object heap, and dropping a row group's worth of them (about 20 MB per 100,000 rows) made
/// the collector clear and collect fresh large-object memory all through an export.
/// </summary>
internal sealed class CharChunks
{
    private const int ChunkSize = 1 << 20;
    private readonly List<char[]> _chunks = [new char[ChunkSize]];
    private int _current;
    private int _used;

    /// <summary>Room for <paramref name="length"/> chars; write into it, then <see cref="Commit"/> how many were used.</summary>
    public Span<char> Reserve(int length)
    {
        if (_chunks[_current].Length - _used < length)
        {
            _current++;
            _used = 0;
            if (_current == _chunks.Count)
            {
                _chunks.Add(new char[Math.Max(ChunkSize, length)]);
            }
            else if (_chunks[_current].Length < length)
            {
                _chunks[_current] = new char[length];
            }
        }

        return _chunks[_current].AsSpan(_used, length);
    }

    public ReadOnlyMemory<char> Commit(int written)
    {
        var slice = new ReadOnlyMemory<char>(_chunks[_current], _used, written);
        _used += written;
        return slice;
    }

    /// <summary>After a row group is written (the writer has encoded every slice): start over in the first chunk.</summary>
    public void Reset()
    {
        _current = 0;
        _used = 0;
    }
}
