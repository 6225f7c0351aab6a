namespace Eventuali.Parquet;

/// <summary>
/// Text for one row group, appended into large char chunks and handed to the writer as slices: no string per value,
/// and nothing for the garbage collector to trace (a row group's values would otherwise be promoted out of gen0).
/// A full chunk is left to the slices pointing into it and a new one started; after the row group is written,
/// <see cref="Reset"/> reuses the current chunk.
/// </summary>
internal sealed class CharChunks
{
    private const int ChunkSize = 1 << 20;
    private char[] _chunk = new char[ChunkSize];
    private int _used;

    /// <summary>Room for <paramref name="length"/> chars; write into it, then <see cref="Commit"/> how many were used.</summary>
    public Span<char> Reserve(int length)
    {
        if (_chunk.Length - _used < length)
        {
            _chunk = new char[Math.Max(ChunkSize, length)];
            _used = 0;
        }

        return _chunk.AsSpan(_used, length);
    }

    public ReadOnlyMemory<char> Commit(int written)
    {
        var slice = new ReadOnlyMemory<char>(_chunk, _used, written);
        _used += written;
        return slice;
    }

    /// <summary>After a row group is written (the writer has encoded every slice): start over in the current chunk.</summary>
    public void Reset() => _used = 0;
}
