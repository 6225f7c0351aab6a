namespace Eventuali.DataKeys;

/// <summary>
/// Wrapped data keys (one or more versions per data subject), the subjects erased, which streams hold data about a
/// subject, and the store's stable id, all kept in the store's own database. Holds wrapped keys only: wrapping and
/// unwrapping belong to a key provider (see Eventuali.Security). Found with <c>store.GetFeature&lt;IDataKeyStore&gt;()</c>.
/// </summary>
public interface IDataKeyStore
{
    /// <summary>The store's stable id (made once, when the key tables are created), bound into every wrapped key and ciphertext.</summary>
    ValueTask<string> GetStoreIdAsync(CancellationToken cancellationToken = default);

    /// <summary>Every key version of <paramref name="subjectId"/>, oldest first; empty when it has none (or was erased).</summary>
    ValueTask<IReadOnlyList<StoredDataKey>> GetDataKeysAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a new key version; false when that version already exists (another writer won the race: read it back)
    /// or the subject was erased. Never replaces an existing key.
    /// </summary>
    ValueTask<bool> AddDataKeyAsync(StoredDataKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reserves <paramref name="count"/> more encryptions under a key version and returns the total reserved so far
    /// (null when the key no longer exists), so every process counts the uses of a key together.
    /// </summary>
    ValueTask<long?> ReserveUsesAsync(string subjectId, int version, long count, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the wrapping of one key version, only if it is still wrapped by <paramref name="expectedKekId"/>
    /// (so a rewrap that runs twice, or races another, changes each key once). True when it was replaced.
    /// </summary>
    ValueTask<bool> ReplaceWrappingAsync(string subjectId, int version, string expectedKekId, string newKekId, ReadOnlyMemory<byte> wrappedKey, CancellationToken cancellationToken = default);

    /// <summary>Every stored key, ordered by subject and version (for rewrap and reports).</summary>
    IAsyncEnumerable<StoredDataKey> ListDataKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Destroys every key version of <paramref name="subjectId"/> (overwriting the freed storage where the backend
    /// can) and records the erasure; returns how many key versions were destroyed. Running it again destroys nothing
    /// and keeps the first erasure time.
    /// </summary>
    ValueTask<int> EraseSubjectAsync(string subjectId, DateTimeOffset erasedAt, CancellationToken cancellationToken = default);

    /// <summary>When <paramref name="subjectId"/> was erased, or null.</summary>
    ValueTask<DateTimeOffset?> GetErasureAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>Every erased subject, ordered by id.</summary>
    IAsyncEnumerable<ErasedSubject> ListErasedSubjectsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// True when the backend records, in each append's own transaction, that the stream holds data about every
    /// subject its events name in <see cref="DataSubjectHeader"/> (the built-in backends do), so a caller need not
    /// call <see cref="RecordSubjectStreamAsync"/> for appended events.
    /// </summary>
    bool RecordsSubjectStreamsOnAppend => false;

    /// <summary>Records that <paramref name="streamId"/> holds data about <paramref name="subjectId"/> (idempotent).</summary>
    ValueTask RecordSubjectStreamAsync(string subjectId, string streamId, CancellationToken cancellationToken = default);

    /// <summary>The streams recorded as holding data about <paramref name="subjectId"/>, ordered by id.</summary>
    ValueTask<IReadOnlyList<string>> GetSubjectStreamsAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>The subjects recorded as having data in <paramref name="streamId"/>, ordered by id.</summary>
    ValueTask<IReadOnlyList<string>> GetStreamSubjectsAsync(string streamId, CancellationToken cancellationToken = default);
}

/// <summary>A data key as stored: wrapped by key-encryption key <paramref name="KekId"/>, never in the clear.</summary>
/// <param name="SubjectId">The data subject the key belongs to.</param>
/// <param name="Version">The key version (1, 2, ...): new data uses the newest; older ones still decrypt.</param>
/// <param name="KekId">The key-encryption key that wraps it.</param>
/// <param name="WrappedKey">The wrapped key bytes.</param>
/// <param name="CreatedAt">When the version was made (the store's clock).</param>
/// <param name="UsesReserved">Encryptions reserved under this version so far, across every process.</param>
public sealed record StoredDataKey(string SubjectId, int Version, string KekId, ReadOnlyMemory<byte> WrappedKey, DateTimeOffset CreatedAt, long UsesReserved);

/// <summary>A data subject whose keys were destroyed, and when.</summary>
public sealed record ErasedSubject(string SubjectId, DateTimeOffset ErasedAt);
