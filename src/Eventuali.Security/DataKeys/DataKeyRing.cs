using System.Collections.Concurrent;
using System.Security.Cryptography;
using Eventuali.DataKeys;
using Eventuali.Security.Encryption;
using Eventuali.Security.Keys;

namespace Eventuali.Security.DataKeys;

/// <summary>
/// Data keys of every subject of one store: made on first use, wrapped by the provider's active KEK, kept in the
/// store's data-key tables and unwrapped into a bounded, expiring cache. A cache hit completes synchronously.
/// Use counting: each process reserves blocks of uses in the store; when a key's total passes the limit, a new
/// version is made and new data uses it (older versions still decrypt).
/// </summary>
internal sealed class DataKeyRing
{
    private readonly IDataKeyStore _store;
    private readonly FieldEncryptionOptions _options;
    private readonly ConcurrentDictionary<string, SubjectKeys> _cache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, 32).Select(_ => new SemaphoreSlim(1, 1))];
    private string? _storeId;

    public DataKeyRing(IDataKeyStore store, FieldEncryptionOptions options)
    {
        _store = store;
        _options = options;
    }

    public IDataKeyStore Store => _store;

    public async ValueTask<string> StoreIdAsync(CancellationToken ct)
        => _storeId ??= await _store.GetStoreIdAsync(ct).ConfigureAwait(false);

    /// <summary>The newest key of <paramref name="subjectId"/> with one use taken; made when the subject has none.</summary>
    public ValueTask<DataKey> ForEncryptionAsync(string subjectId, CancellationToken ct)
    {
        if (TryFresh(subjectId, out var entry) && entry.ErasedAt is null && entry.Stored.Count > 0
            && entry.Unwrapped(entry.Stored.Count - 1) is { } key && key.TryUse())
        {
            return ValueTask.FromResult(key);
        }

        return ForEncryptionSlowAsync(subjectId, ct);
    }

    /// <summary>Key <paramref name="version"/> of <paramref name="subjectId"/>; null key with the erasure time when it was destroyed, both null when it never existed.</summary>
    public ValueTask<KeyLookup> ForDecryptionAsync(string subjectId, int version, CancellationToken ct)
    {
        if (TryFresh(subjectId, out var entry))
        {
            if (entry.ErasedAt is { } at)
            {
                return ValueTask.FromResult(new KeyLookup(null, at));
            }

            var i = entry.IndexOf(version);
            if (i >= 0 && entry.Unwrapped(i) is { } key)
            {
                return ValueTask.FromResult(new KeyLookup(key, null));
            }
        }

        return ForDecryptionSlowAsync(subjectId, version, ct);
    }

    /// <summary>Forgets what this process holds of <paramref name="subjectId"/> (after a rotation or erasure).</summary>
    public void Forget(string subjectId) => _cache.TryRemove(subjectId, out _);

    /// <summary>Makes version <paramref name="version"/> of the subject's key; false when another writer made it first.</summary>
    public async ValueTask<bool> CreateVersionAsync(string subjectId, int version, CancellationToken ct)
    {
        var storeId = await StoreIdAsync(ct).ConfigureAwait(false);
        var key = RandomNumberGenerator.GetBytes(32);
        var kek = await _options.Provider.GetActiveKeyIdAsync(ct).ConfigureAwait(false);
        var wrapped = await _options.Provider.WrapAsync(kek, key, AssociatedData.ForDataKey(storeId, subjectId, version), ct).ConfigureAwait(false);
        var stored = new StoredDataKey(subjectId, version, kek, wrapped, _options.TimeProvider.GetUtcNow(), _options.UseReservation);
        var added = await _store.AddDataKeyAsync(stored, ct).ConfigureAwait(false);
        Forget(subjectId);
        if (added)
        {
            // This process made the key and holds its first reservation: cache it unwrapped.
            var entry = await LoadAsync(subjectId, ct).ConfigureAwait(false);
            var i = entry.IndexOf(version);
            if (i >= 0)
            {
                entry.SetUnwrapped(i, new DataKey(subjectId, version, key, _options.UseReservation));
            }
        }

        return added;
    }

    private async ValueTask<DataKey> ForEncryptionSlowAsync(string subjectId, CancellationToken ct)
    {
        var stripe = _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(subjectId) % (uint)_stripes.Length)];
        await stripe.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; attempt < 8; attempt++)
            {
                var entry = TryFresh(subjectId, out var cached) ? cached : await LoadAsync(subjectId, ct).ConfigureAwait(false);
                if (entry.ErasedAt is { } at)
                {
                    throw new DataSubjectErasedException(subjectId, at);
                }

                if (entry.Stored.Count == 0)
                {
                    await CreateVersionAsync(subjectId, 1, ct).ConfigureAwait(false);
                    continue;
                }

                var key = await UnwrapAsync(entry, entry.Stored.Count - 1, ct).ConfigureAwait(false);
                if (key.TryUse())
                {
                    return key;
                }

                var total = await _store.ReserveUsesAsync(subjectId, key.Version, _options.UseReservation, ct).ConfigureAwait(false);
                if (total is null)
                {
                    Forget(subjectId);
                }
                else if (total > _options.MaxUsesPerKey)
                {
                    await CreateVersionAsync(subjectId, key.Version + 1, ct).ConfigureAwait(false);
                }
                else
                {
                    key.Reserve(_options.UseReservation);
                    if (key.TryUse())
                    {
                        return key;
                    }
                }
            }

            throw new InvalidOperationException($"No data key could be obtained for subject '{subjectId}': the key tables changed under every attempt.");
        }
        finally
        {
            stripe.Release();
        }
    }

    private async ValueTask<KeyLookup> ForDecryptionSlowAsync(string subjectId, int version, CancellationToken ct)
    {
        var entry = await LoadAsync(subjectId, ct).ConfigureAwait(false);
        if (entry.ErasedAt is { } at)
        {
            return new KeyLookup(null, at);
        }

        var i = entry.IndexOf(version);
        return i < 0 ? new KeyLookup(null, null) : new KeyLookup(await UnwrapAsync(entry, i, ct).ConfigureAwait(false), null);
    }

    private async ValueTask<DataKey> UnwrapAsync(SubjectKeys entry, int index, CancellationToken ct)
    {
        if (entry.Unwrapped(index) is { } known)
        {
            return known;
        }

        var stored = entry.Stored[index];
        var storeId = await StoreIdAsync(ct).ConfigureAwait(false);
        var key = await _options.Provider.UnwrapAsync(stored.KekId, stored.WrappedKey, AssociatedData.ForDataKey(storeId, stored.SubjectId, stored.Version), ct).ConfigureAwait(false);
        // Another process may hold reservations on this key: this one starts with none and reserves before encrypting.
        return entry.SetUnwrapped(index, new DataKey(stored.SubjectId, stored.Version, key, 0));
    }

    private async ValueTask<SubjectKeys> LoadAsync(string subjectId, CancellationToken ct)
    {
        var stored = await _store.GetDataKeysAsync(subjectId, ct).ConfigureAwait(false);
        var erased = stored.Count == 0 ? await _store.GetErasureAsync(subjectId, ct).ConfigureAwait(false) : null;
        var entry = new SubjectKeys(stored, erased, _options.TimeProvider.GetUtcNow());
        if (_cache.Count >= _options.CacheSize)
        {
            Evict();
        }

        _cache[subjectId] = entry;
        return entry;
    }

    private bool TryFresh(string subjectId, out SubjectKeys entry)
        => _cache.TryGetValue(subjectId, out entry!) && _options.TimeProvider.GetUtcNow() - entry.LoadedAt < _options.CacheTtl;

    private void Evict()
    {
        // Expired entries first, then any, down to nine tenths of the bound so eviction runs rarely.
        var now = _options.TimeProvider.GetUtcNow();
        var target = Math.Max(0, _options.CacheSize * 9 / 10);
        foreach (var (subject, entry) in _cache)
        {
            if (now - entry.LoadedAt >= _options.CacheTtl)
            {
                _cache.TryRemove(subject, out _);
            }
        }

        foreach (var subject in _cache.Keys)
        {
            if (_cache.Count <= target)
            {
                break;
            }

            _cache.TryRemove(subject, out _);
        }
    }
}

/// <summary>A key found for decryption, or the time its subject was erased; neither when the key never existed.</summary>
internal readonly record struct KeyLookup(DataKey? Key, DateTimeOffset? ErasedAt);
