using System.Runtime.CompilerServices;
using Eventuali.DataKeys;

namespace Eventuali.InMemory;

/// <summary>Wrapped data keys in process memory, gone with the store like its events.</summary>
public sealed partial class InMemoryEventStore : IDataKeyStore
{
    private readonly Lock _keyGate = new();
    private readonly string _storeId = Guid.NewGuid().ToString("N");
    private readonly SortedDictionary<(string Subject, int Version), StoredDataKey> _dataKeys = new(KeyOrder.Instance);
    private readonly SortedDictionary<string, DateTimeOffset> _erased = new(StringComparer.Ordinal);
    private readonly HashSet<(string Subject, string Stream)> _subjectStreams = [];

    /// <inheritdoc />
    public ValueTask<string> GetStoreIdAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(_storeId);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredDataKey>> GetDataKeysAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        lock (_keyGate)
        {
            return ValueTask.FromResult<IReadOnlyList<StoredDataKey>>([.. _dataKeys.Values.Where(k => k.SubjectId == subjectId)]);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> AddDataKeyAsync(StoredDataKey key, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Key(key);
        lock (_keyGate)
        {
            // A copy of the bytes: the caller's buffer may be reused or zeroed.
            return ValueTask.FromResult(!_erased.ContainsKey(key.SubjectId)
                && _dataKeys.TryAdd((key.SubjectId, key.Version), key with { WrappedKey = key.WrappedKey.ToArray() }));
        }
    }

    /// <inheritdoc />
    public ValueTask<long?> ReserveUsesAsync(string subjectId, int version, long count, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_keyGate)
        {
            if (!_dataKeys.TryGetValue((subjectId, version), out var key))
            {
                return ValueTask.FromResult<long?>(null);
            }

            _dataKeys[(subjectId, version)] = key with { UsesReserved = key.UsesReserved + count };
            return ValueTask.FromResult<long?>(key.UsesReserved + count);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> ReplaceWrappingAsync(string subjectId, int version, string expectedKekId, string newKekId, ReadOnlyMemory<byte> wrappedKey, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        ArgumentException.ThrowIfNullOrWhiteSpace(newKekId);
        lock (_keyGate)
        {
            if (!_dataKeys.TryGetValue((subjectId, version), out var key) || key.KekId != expectedKekId)
            {
                return ValueTask.FromResult(false);
            }

            _dataKeys[(subjectId, version)] = key with { KekId = newKekId, WrappedKey = wrappedKey.ToArray() };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredDataKey> ListDataKeysAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoredDataKey[] keys;
        lock (_keyGate)
        {
            keys = [.. _dataKeys.Values];
        }

        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return key;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<int> EraseSubjectAsync(string subjectId, DateTimeOffset erasedAt, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        lock (_keyGate)
        {
            var doomed = _dataKeys.Keys.Where(k => k.Subject == subjectId).ToList();
            foreach (var k in doomed)
            {
                _dataKeys.Remove(k);
            }

            _erased.TryAdd(subjectId, erasedAt);
            return ValueTask.FromResult(doomed.Count);
        }
    }

    /// <inheritdoc />
    public ValueTask<DateTimeOffset?> GetErasureAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        lock (_keyGate)
        {
            return ValueTask.FromResult<DateTimeOffset?>(_erased.TryGetValue(subjectId, out var at) ? at : null);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ErasedSubject> ListErasedSubjectsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ErasedSubject[] erased;
        lock (_keyGate)
        {
            erased = [.. _erased.Select(kv => new ErasedSubject(kv.Key, kv.Value))];
        }

        foreach (var e in erased)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return e;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public bool RecordsSubjectStreamsOnAppend => true;

    // Called under the append lock, so a reader of the pairs never sees an event whose pair is missing.
    private void RecordSubjects(string streamId, IReadOnlyList<EventData> events)
    {
        var subjects = DataSubjectHeader.SubjectsOf(events);
        if (subjects.Count == 0)
        {
            return;
        }

        lock (_keyGate)
        {
            foreach (var subject in subjects)
            {
                _subjectStreams.Add((subject, streamId));
            }
        }
    }

    /// <inheritdoc />
    public ValueTask RecordSubjectStreamAsync(string subjectId, string streamId, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        lock (_keyGate)
        {
            _subjectStreams.Add((subjectId, streamId));
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> GetSubjectStreamsAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        lock (_keyGate)
        {
            return ValueTask.FromResult<IReadOnlyList<string>>([.. _subjectStreams.Where(p => p.Subject == subjectId).Select(p => p.Stream).Order(StringComparer.Ordinal)]);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> GetStreamSubjectsAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        lock (_keyGate)
        {
            return ValueTask.FromResult<IReadOnlyList<string>>([.. _subjectStreams.Where(p => p.Stream == streamId).Select(p => p.Subject).Order(StringComparer.Ordinal)]);
        }
    }

    private sealed class KeyOrder : IComparer<(string Subject, int Version)>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare((string Subject, int Version) x, (string Subject, int Version) y)
        {
            var c = string.CompareOrdinal(x.Subject, y.Subject);
            return c != 0 ? c : x.Version.CompareTo(y.Version);
        }
    }
}
