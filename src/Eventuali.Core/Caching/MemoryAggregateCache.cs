namespace Eventuali.Caching;

/// <summary>
/// The in-process <see cref="IAggregateCache"/>: least recently used entries are dropped once it holds more than
/// <see cref="MaxEntries"/> entries or <see cref="MaxBytes"/> bytes of state. Thread-safe; one lock, no I/O under it.
/// </summary>
public sealed class MemoryAggregateCache : IAggregateCache
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<CachedAggregate>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<CachedAggregate> _recency = new();
    private long _bytes;

    /// <summary>A cache of at most <paramref name="maxEntries"/> entries and <paramref name="maxBytes"/> bytes of state.</summary>
    public MemoryAggregateCache(int maxEntries = 10_000, long maxBytes = 256L * 1024 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        MaxEntries = maxEntries;
        MaxBytes = maxBytes;
    }

    /// <summary>The most entries held at once.</summary>
    public int MaxEntries { get; }

    /// <summary>The most state bytes held at once; a larger single state is not cached.</summary>
    public long MaxBytes { get; }

    /// <summary>Entries held now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <inheritdoc />
    public AggregateCacheStatistics Statistics { get; } = new();

    /// <inheritdoc />
    public ValueTask<CachedAggregate?> GetAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        lock (_gate)
        {
            if (!_entries.TryGetValue(streamId, out var node))
            {
                return ValueTask.FromResult<CachedAggregate?>(null);
            }

            _recency.Remove(node);
            _recency.AddFirst(node);
            return ValueTask.FromResult<CachedAggregate?>(node.Value);
        }
    }

    /// <inheritdoc />
    public ValueTask SetAsync(CachedAggregate entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.State.Length > MaxBytes)
        {
            return ValueTask.CompletedTask;
        }

        lock (_gate)
        {
            if (_entries.TryGetValue(entry.StreamId, out var old))
            {
                if (old.Value.Version > entry.Version)
                {
                    return ValueTask.CompletedTask;
                }

                Drop(old);
            }

            _entries[entry.StreamId] = _recency.AddFirst(entry);
            _bytes += entry.State.Length;
            while (_entries.Count > MaxEntries || _bytes > MaxBytes)
            {
                Drop(_recency.Last!);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RemoveAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        lock (_gate)
        {
            if (_entries.TryGetValue(streamId, out var node))
            {
                Drop(node);
            }
        }

        return ValueTask.CompletedTask;
    }

    private void Drop(LinkedListNode<CachedAggregate> node)
    {
        _recency.Remove(node);
        _entries.Remove(node.Value.StreamId);
        _bytes -= node.Value.State.Length;
    }
}
