using System.Diagnostics.Metrics;

namespace Eventuali.Diagnostics;

/// <summary>
/// The tenants that appended most, in bounded memory: at most <c>capacity</c> tenants are tracked; a new one past that
/// replaces the smallest and starts from its count (the space-saving algorithm), so a heavy tenant always surfaces and
/// a tenant's count is exact while it stays tracked.
/// </summary>
internal sealed class TopTenantTracker(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

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

    public void Add(string tenant, string tier, long events, long bytes)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(tenant, out var entry))
            {
                entry = new Entry();
                if (_entries.Count >= capacity)
                {
                    var smallest = _entries.MinBy(e => e.Value.Events);
                    _entries.Remove(smallest.Key);
                    (entry.Events, entry.Bytes) = (smallest.Value.Events, smallest.Value.Bytes);
                }

                _entries.Add(tenant, entry);
            }

            entry.Tier = tier;
            entry.Events += events;
            entry.Bytes += bytes;
        }
    }

    public IEnumerable<Measurement<long>> Measure(int top, bool bytes)
    {
        if (top <= 0)
        {
            return [];
        }

        lock (_gate)
        {
            return [.. _entries
                .OrderByDescending(e => e.Value.Events).ThenBy(e => e.Key, StringComparer.Ordinal)
                .Take(top)
                .Select(e => new Measurement<long>(bytes ? e.Value.Bytes : e.Value.Events,
                    new KeyValuePair<string, object?>(EventualiAttributes.TenantId, e.Key),
                    new KeyValuePair<string, object?>(EventualiAttributes.TenantTier, e.Value.Tier)))];
        }
    }

    private sealed class Entry
    {
        public string Tier { get; set; } = string.Empty;

        public long Events { get; set; }

        public long Bytes { get; set; }
    }
}
