namespace Eventuali.Tenancy;

/// <summary>
/// A bounded cache of open tenant stores, shared by the backends' tenant factories: the least recently used store is
/// closed when more than <see cref="Capacity"/> are open, so thousands of tenants do not mean thousands of open files
/// or connections. Every store handed out is a hold on the cached store, released by disposing it; a store that a
/// caller holds is never closed, so while every open store is held the cache can exceed its capacity until they are
/// released.
/// </summary>
public sealed class TenantStoreCache : IAsyncDisposable
{
    /// <summary>The capacity used when none is given: 64 open tenant stores.</summary>
    public const int DefaultCapacity = 64;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new();
    private readonly Func<TenantId, CancellationToken, ValueTask<IEventStore>> _open;
    private bool _disposed;

    /// <summary>A cache of at most <paramref name="capacity"/> unheld open stores, opened by <paramref name="open"/>.</summary>
    public TenantStoreCache(int capacity, Func<TenantId, CancellationToken, ValueTask<IEventStore>> open)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentNullException.ThrowIfNull(open);
        Capacity = capacity;
        _open = open;
    }

    /// <summary>How many stores the cache keeps open when none is held.</summary>
    public int Capacity { get; }

    /// <summary>How many tenant stores are open now.</summary>
    public int OpenCount
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// A hold on <paramref name="tenant"/>'s store, opening it when it is not cached. Dispose the result when done:
    /// that releases the hold and never closes the store under another caller.
    /// </summary>
    public async ValueTask<IEventStore> AcquireAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        var key = tenant.Value;
        Entry entry;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_entries.TryGetValue(key, out entry!))
            {
                entry = new Entry(key);
                entry.Node = _recency.AddFirst(entry);
                _entries.Add(key, entry);
                entry.Opening = OpenAsync(tenant, entry);
            }
            else
            {
                _recency.Remove(entry.Node!);
                _recency.AddFirst(entry.Node!);
            }

            entry.Holds++;
        }

        try
        {
            var store = await entry.Opening!.WaitAsync(cancellationToken).ConfigureAwait(false);
            await EvictAsync().ConfigureAwait(false);
            return new TenantStoreHandle(store, () => ReleaseAsync(entry));
        }
        catch
        {
            await ReleaseAsync(entry).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Closes <paramref name="tenant"/>'s store when it is open and nobody holds it (before its files are removed);
    /// false when a caller still holds it.
    /// </summary>
    public async ValueTask<bool> TryCloseAsync(TenantId tenant)
    {
        Entry? entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(tenant.Value, out entry))
            {
                return true;
            }

            if (entry.Holds > 0)
            {
                return false;
            }

            Remove(entry);
        }

        await CloseAsync(entry).ConfigureAwait(false);
        return true;
    }

    /// <summary>Closes every open store, held or not.</summary>
    public async ValueTask DisposeAsync()
    {
        List<Entry> entries;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            entries = [.. _entries.Values];
            _entries.Clear();
            _recency.Clear();
        }

        foreach (var entry in entries)
        {
            await CloseAsync(entry).ConfigureAwait(false);
        }
    }

    private async Task<IEventStore> OpenAsync(TenantId tenant, Entry entry)
    {
        try
        {
            // Opening is not cancelled by the first caller: other callers may be waiting on the same open.
            return await _open(tenant, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            lock (_gate)
            {
                if (_entries.TryGetValue(entry.Key, out var current) && ReferenceEquals(current, entry))
                {
                    Remove(entry);
                }
            }

            throw;
        }
    }

    private ValueTask ReleaseAsync(Entry entry)
    {
        lock (_gate)
        {
            entry.Holds--;
            if (_disposed || _entries.Count <= Capacity)
            {
                return ValueTask.CompletedTask;
            }
        }

        return EvictAsync();
    }

    private async ValueTask EvictAsync()
    {
        List<Entry>? victims = null;
        lock (_gate)
        {
            var node = _recency.Last;
            while (_entries.Count > Capacity && node is not null)
            {
                var previous = node.Previous;
                var candidate = node.Value;
                if (candidate.Holds == 0 && candidate.Opening!.IsCompletedSuccessfully)
                {
                    Remove(candidate);
                    (victims ??= []).Add(candidate);
                }

                node = previous;
            }
        }

        foreach (var victim in victims ?? [])
        {
            await CloseAsync(victim).ConfigureAwait(false);
        }
    }

    private void Remove(Entry entry)
    {
        _entries.Remove(entry.Key);
        _recency.Remove(entry.Node!);
    }

    private static async ValueTask CloseAsync(Entry entry)
    {
        // A store still opening is waited for, so disposing the cache leaves no file open behind it.
        if (entry.Opening is { } opening)
        {
            await ((Task)opening).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (opening.IsCompletedSuccessfully)
            {
                await opening.Result.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private sealed class Entry(string key)
    {
        public string Key { get; } = key;

        public LinkedListNode<Entry>? Node { get; set; }

        public Task<IEventStore>? Opening { get; set; }

        public int Holds { get; set; }
    }
}
