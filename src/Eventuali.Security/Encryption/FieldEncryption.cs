using System.Runtime.CompilerServices;
using System.Text.Json;
using Eventuali.Auditing;
using Eventuali.DataKeys;
using Eventuali.Interception;
using Eventuali.Projections;
using Eventuali.Sagas;
using Eventuali.Security.DataKeys;
using Eventuali.Snapshots;

namespace Eventuali.Security.Encryption;

/// <summary>
/// Field encryption for one store: the store seen through the <see cref="FieldEncryptionInterceptor"/>, and the
/// operations on its data keys (rotation, rewrap, erasure, export, report). Keep one per store and process: the
/// interceptor and the operations share the key cache, so an erasure here takes effect here at once (other
/// processes drop the key within <see cref="FieldEncryptionOptions.CacheTtl"/>).
/// </summary>
public sealed class FieldEncryption
{
    private readonly DataKeyRing _ring;
    private readonly IEventStore _inner;

    private FieldEncryption(IEventStore inner, IDataKeyStore keys, FieldEncryptionOptions options)
    {
        _inner = inner;
        Options = options;
        _ring = new DataKeyRing(keys, options);
        Interceptor = new FieldEncryptionInterceptor(_ring, options);
        Store = inner.WithInterceptors(Interceptor);
    }

    /// <summary>The store through the encryption interceptor: append and read through this one.</summary>
    public InterceptedEventStore Store { get; }

    /// <summary>The interceptor, to combine with others in <see cref="InterceptionExtensions.WithInterceptors"/> instead of <see cref="Store"/>.</summary>
    public FieldEncryptionInterceptor Interceptor { get; }

    /// <summary>The settings.</summary>
    public FieldEncryptionOptions Options { get; }

    /// <summary>The store's data-key tables.</summary>
    public IDataKeyStore Keys => _ring.Store;

    /// <summary>Field encryption for <paramref name="store"/>, whose backend must keep data keys (memory, SQLite and PostgreSQL do).</summary>
    public static FieldEncryption Create(IEventStore store, FieldEncryptionOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CacheSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.UseReservation, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxUsesPerKey, 1L << 32, nameof(options));
        var keys = store.GetFeature<IDataKeyStore>()
            ?? throw new EventStoreConfigurationException($"The store ({store.GetType().Name}) keeps no data keys, so it cannot encrypt fields.");
        return new FieldEncryption(store, keys, options);
    }

    /// <summary>Makes a new key version for <paramref name="subjectId"/>: new data uses it, older versions still decrypt. Returns the new version.</summary>
    public ValueTask<int> RotateSubjectKeyAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        return AuditedAsync(AuditAction.Admin, "rotate-key", () => RotateCoreAsync(subjectId, cancellationToken));
    }

    /// <summary>
    /// Re-wraps every data key not wrapped by the provider's active KEK. Each key is replaced only if still wrapped
    /// by the KEK it was read with, so the run is idempotent, safe beside another run, and resumable after a crash
    /// (a key is wrapped by its old KEK or its new one, never neither). Events are never rewritten.
    /// </summary>
    public ValueTask<RewrapResult> RewrapAsync(CancellationToken cancellationToken = default)
        => AuditedAsync(AuditAction.Admin, "rewrap-keys", () => RewrapCoreAsync(cancellationToken));

    /// <summary>
    /// Crypto-shreds <paramref name="subjectId"/>: destroys every version of its data key, deletes the snapshots of the
    /// streams holding its data (they would be rebuilt from redacted events) and the read-model documents written for
    /// it, redacts the error text of dead letters and stopped projections on those streams (see
    /// <see cref="IProjectionErasure"/>), and appends a <see cref="DataSubjectErasedFact"/> so projections can drop
    /// or rebuild what else they derived. Other subjects are untouched. Keys go first, so nothing decrypted after the
    /// scrub can bring plaintext back. Safe to run again after a crash: it finishes what is left and appends the fact once.
    /// </summary>
    public ValueTask<SubjectErasure> EraseSubjectAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        return AuditedAsync(AuditAction.Erase, "erase-subject", () => EraseCoreAsync(subjectId, cancellationToken));
    }

    private async ValueTask<int> RotateCoreAsync(string subjectId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            if (await Keys.GetErasureAsync(subjectId, cancellationToken).ConfigureAwait(false) is { } at)
            {
                throw new DataSubjectErasedException(subjectId, at);
            }

            var existing = await Keys.GetDataKeysAsync(subjectId, cancellationToken).ConfigureAwait(false);
            var version = existing.Count == 0 ? 1 : existing[^1].Version + 1;
            if (await _ring.CreateVersionAsync(subjectId, version, cancellationToken).ConfigureAwait(false))
            {
                return version;
            }
        }

        throw new InvalidOperationException($"Rotating the data key of '{subjectId}' kept racing other writers; try again.");
    }

    private async ValueTask<RewrapResult> RewrapCoreAsync(CancellationToken cancellationToken)
    {
        var active = await Options.Provider.GetActiveKeyIdAsync(cancellationToken).ConfigureAwait(false);
        var storeId = await _ring.StoreIdAsync(cancellationToken).ConfigureAwait(false);
        var (rewrapped, current, skipped) = (0, 0, 0);
        await foreach (var key in Keys.ListDataKeysAsync(cancellationToken).ConfigureAwait(false))
        {
            if (key.KekId == active)
            {
                current++;
                continue;
            }

            var bound = AssociatedData.ForDataKey(storeId, key.SubjectId, key.Version);
            var plain = await Options.Provider.UnwrapAsync(key.KekId, key.WrappedKey, bound, cancellationToken).ConfigureAwait(false);
            try
            {
                var wrapped = await Options.Provider.WrapAsync(active, plain, bound, cancellationToken).ConfigureAwait(false);
                if (await Keys.ReplaceWrappingAsync(key.SubjectId, key.Version, key.KekId, active, wrapped, cancellationToken).ConfigureAwait(false))
                {
                    rewrapped++;
                }
                else
                {
                    skipped++; // erased or re-wrapped by another run meanwhile
                }
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(plain);
            }
        }

        return new RewrapResult(active, rewrapped, current, skipped);
    }

    private async ValueTask<SubjectErasure> EraseCoreAsync(string subjectId, CancellationToken cancellationToken)
    {
        var streams = await Keys.GetSubjectStreamsAsync(subjectId, cancellationToken).ConfigureAwait(false);
        var destroyed = await Keys.EraseSubjectAsync(subjectId, Options.TimeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        _ring.Forget(subjectId);
        var erasedAt = await Keys.GetErasureAsync(subjectId, cancellationToken).ConfigureAwait(false) ?? Options.TimeProvider.GetUtcNow();
        var snapshotsDeleted = 0;
        if (_inner.GetFeature<ISnapshotStore>() is { } snapshots)
        {
            foreach (var stream in streams)
            {
                snapshotsDeleted += await snapshots.PruneSnapshotsAsync(stream, 0, cancellationToken).ConfigureAwait(false);
            }
        }

        // Last of the scrubbing: on SQLite it also empties the write-ahead log of the pages deleted above.
        var scrubbed = _inner.GetFeature<IProjectionErasure>() is { } projections
            ? await projections.EraseSubjectDataAsync(subjectId, streams, cancellationToken).ConfigureAwait(false)
            : new ProjectionErasureResult(0, 0, 0);
        var fact = JsonSerializer.SerializeToUtf8Bytes(new DataSubjectErasedFact(subjectId, erasedAt, streams), ErasureJson.Default.DataSubjectErasedFact);
        var id = DeterministicId.Create(DataSubjectErasedFact.IdNamespace, subjectId);
        await _inner.AppendAsync(DataSubjectErasedFact.StreamId, ExpectedVersion.Any, [new EventData(id, DataSubjectErasedFact.EventType, fact)], cancellationToken).ConfigureAwait(false);
        return new SubjectErasure(subjectId, erasedAt, destroyed, streams, snapshotsDeleted, scrubbed.DocumentsDeleted, scrubbed.DeadLettersRedacted + scrubbed.ProjectionErrorsRedacted);
    }

    /// <summary>
    /// The built-in read-model documents written while applying events about <paramref name="subjectId"/> (stored in
    /// the clear: read models are not encrypted), ordered by projection and key; empty when the backend keeps none.
    /// </summary>
    public async ValueTask<IReadOnlyList<SubjectDocument>> ExportSubjectDocumentsAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        return _inner.GetFeature<IProjectionErasure>() is { } projections
            ? await projections.GetSubjectDocumentsAsync(subjectId, cancellationToken).ConfigureAwait(false)
            : [];
    }

    /// <summary>Every event about <paramref name="subjectId"/> (those naming it in <see cref="EncryptionHeaders.Subject"/>), decrypted as far as its key allows, in stream order.</summary>
    public IAsyncEnumerable<RecordedEvent> ExportSubjectAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        var events = ExportCoreAsync(subjectId, cancellationToken);
        return _inner is InterceptedEventStore audited ? audited.ObserveRead(events, "export-subject", cancellationToken) : events;
    }

    private async IAsyncEnumerable<RecordedEvent> ExportCoreAsync(string subjectId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var stream in await Keys.GetSubjectStreamsAsync(subjectId, cancellationToken).ConfigureAwait(false))
        {
            await foreach (var e in Store.ReadStreamAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (e.Metadata.Headers?.GetValueOrDefault(EncryptionHeaders.Subject) == subjectId)
                {
                    yield return e;
                }
            }
        }
    }

    // Key operations bypass the store's methods, so they are reported to an audited store below this one themselves.
    // The subject id is not recorded: the audit log cannot be erased, so it must not name whom an erasure was about.
    private ValueTask<T> AuditedAsync<T>(AuditAction action, string name, Func<ValueTask<T>> operation)
        => _inner is InterceptedEventStore audited ? audited.RunOperationAsync(action, name, operation, static _ => 0) : operation();

    /// <summary>The subjects with keys, their key versions, KEKs and ages, and the subjects erased.</summary>
    public async ValueTask<KeyReport> ReportAsync(CancellationToken cancellationToken = default)
    {
        var now = Options.TimeProvider.GetUtcNow();
        var keys = new List<DataKeyInfo>();
        await foreach (var k in Keys.ListDataKeysAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(new DataKeyInfo(k.SubjectId, k.Version, k.KekId, k.CreatedAt, now - k.CreatedAt, k.UsesReserved));
        }

        var erased = new List<ErasedSubject>();
        await foreach (var e in Keys.ListErasedSubjectsAsync(cancellationToken).ConfigureAwait(false))
        {
            erased.Add(e);
        }

        var active = await Options.Provider.GetActiveKeyIdAsync(cancellationToken).ConfigureAwait(false);
        return new KeyReport(await _ring.StoreIdAsync(cancellationToken).ConfigureAwait(false), active, keys, erased);
    }
}
