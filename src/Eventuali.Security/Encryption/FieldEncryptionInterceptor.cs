using System.Collections.Concurrent;
using System.Globalization;
using Eventuali.DataKeys;
using Eventuali.Interception;
using Eventuali.Security.DataKeys;
using Eventuali.Security.Keys;
using Eventuali.Snapshots;

namespace Eventuali.Security.Encryption;

/// <summary>
/// Encrypts personal data on the way into the store and decrypts it on the way out, for every path the seam
/// covers (appends, imports, reads, subscriptions, projections, sagas, snapshots). Which fields: the
/// <see cref="EncryptionPolicy"/> by event type, or the <see cref="EncryptionHeaders"/> of a raw event. JSON
/// payloads have each personal field encrypted in place (<see cref="JsonFieldCipher"/>); other payloads are
/// encrypted whole. Snapshots of streams that hold personal data are sealed with their subjects' keys.
/// Create it with <see cref="FieldEncryption.Create"/>.
/// </summary>
public sealed class FieldEncryptionInterceptor : EventStoreInterceptor
{
    private const string KeyVersionHeader = "eventuali-key-version";
    private const int KnownPairsLimit = 100_000;
    private readonly DataKeyRing _ring;
    private readonly FieldEncryptionOptions _options;
    private readonly ConcurrentDictionary<(string Subject, string Stream), byte> _knownPairs = new();

    internal FieldEncryptionInterceptor(DataKeyRing ring, FieldEncryptionOptions options)
    {
        _ring = ring;
        _options = options;
    }

    /// <inheritdoc />
    public override async ValueTask<EventData> OnAppendingAsync(string streamId, EventData data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (Plan(streamId, data) is not { } plan)
        {
            return data;
        }

        var storeId = await _ring.StoreIdAsync(cancellationToken).ConfigureAwait(false);
        var pending = _ring.ForEncryptionAsync(plan.Subject, cancellationToken);
        var key = pending.IsCompletedSuccessfully ? pending.Result : await pending.ConfigureAwait(false);
        // Built-in backends record the pair in the append's own transaction, from the subject header set below.
        if (!_ring.Store.RecordsSubjectStreamsOnAppend && _knownPairs.TryAdd((plan.Subject, streamId), 0))
        {
            if (_knownPairs.Count > KnownPairsLimit)
            {
                _knownPairs.Clear();
            }

            await _ring.Store.RecordSubjectStreamAsync(plan.Subject, streamId, cancellationToken).ConfigureAwait(false);
        }

        var context = new FieldContext(storeId, _options.Tenant, streamId, data.EventId, plan.Subject);
        var headers = new Dictionary<string, string>(data.Metadata.Headers ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        headers.Remove(EncryptionHeaders.Personal);
        headers[EncryptionHeaders.Subject] = plan.Subject;
        headers[KeyVersionHeader] = key.Version.ToString(CultureInfo.InvariantCulture);
        if (!IsJson(data.ContentType))
        {
            headers[EncryptionHeaders.Encrypted] = EncryptionHeaders.WholePayload;
            headers[EncryptionHeaders.OriginalContentType] = data.ContentType;
            return new EventData(data.EventId, data.EventType, PayloadCipher.Encrypt(data.Data.Span, data.ContentType, key, context),
                data.Metadata with { Headers = headers }, EncryptionHeaders.EncryptedContentType);
        }

        if (JsonFieldCipher.Encrypt(data.Data, plan.Fields, key, context) is not { } encrypted)
        {
            // None of the personal fields is present: nothing to protect.
            return data;
        }

        headers[EncryptionHeaders.Encrypted] = encrypted.Fields;
        return new EventData(data.EventId, data.EventType, encrypted.Json, data.Metadata with { Headers = headers }, data.ContentType);
    }

    /// <inheritdoc />
    public override ValueTask<RecordedEvent> OnReadingAsync(RecordedEvent recorded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var headers = recorded.Metadata.Headers;
        if (headers is null || !headers.TryGetValue(EncryptionHeaders.Encrypted, out var encrypted))
        {
            return ValueTask.FromResult(recorded);
        }

        return DecryptAsync(recorded, headers, encrypted, cancellationToken);
    }

    /// <inheritdoc />
    public override async ValueTask<StoredSnapshot> OnWritingSnapshotAsync(StoredSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var subjects = await _ring.Store.GetStreamSubjectsAsync(snapshot.StreamId, cancellationToken).ConfigureAwait(false);
        var keys = new List<DataKey>(subjects.Count);
        foreach (var subject in subjects)
        {
            try
            {
                keys.Add(await _ring.ForEncryptionAsync(subject, cancellationToken).ConfigureAwait(false));
            }
            catch (DataSubjectErasedException)
            {
                // The state was built from redacted events: nothing of this subject is left to protect.
            }
        }

        if (keys.Count == 0)
        {
            return snapshot;
        }

        var storeId = await _ring.StoreIdAsync(cancellationToken).ConfigureAwait(false);
        return snapshot with { Data = SnapshotCipher.Seal(snapshot.Data.Span, keys, k => SnapshotData(storeId, snapshot, k.SubjectId, k.Version)) };
    }

    /// <inheritdoc />
    public override async ValueTask<StoredSnapshot?> OnReadingSnapshotAsync(StoredSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!SnapshotCipher.IsSealed(snapshot.Data.Span))
        {
            return snapshot;
        }

        // A snapshot is a cache: one that cannot be opened (a subject erased, bytes altered) is hidden and the stream replayed.
        if (SnapshotCipher.ReadHeader(snapshot.Data.Span) is not { } header)
        {
            return null;
        }

        var keys = new List<DataKey>(header.Keys.Count);
        foreach (var (subject, version) in header.Keys)
        {
            if ((await _ring.ForDecryptionAsync(subject, version, cancellationToken).ConfigureAwait(false)).Key is not { } key)
            {
                return null;
            }

            keys.Add(key);
        }

        var storeId = await _ring.StoreIdAsync(cancellationToken).ConfigureAwait(false);
        return SnapshotCipher.Open(snapshot.Data.Span[header.DataStart..], keys, k => SnapshotData(storeId, snapshot, k.SubjectId, k.Version)) is { } plain
            ? snapshot with { Data = plain }
            : null;
    }

    private static byte[] SnapshotData(string storeId, StoredSnapshot snapshot, string subject, int version)
        => AssociatedData.Build(AssociatedData.SnapshotPurpose, storeId, snapshot.StreamId, snapshot.Version.ToString(CultureInfo.InvariantCulture), subject, version.ToString(CultureInfo.InvariantCulture));

    private static bool IsJson(string contentType)
        => contentType.StartsWith(ContentTypes.Json, StringComparison.OrdinalIgnoreCase) || contentType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    private (string Subject, IReadOnlyList<string> Fields)? Plan(string streamId, EventData data)
    {
        var headers = data.Metadata.Headers;
        if (headers is not null && headers.TryGetValue(EncryptionHeaders.Personal, out var list))
        {
            var fields = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var subject = headers.GetValueOrDefault(EncryptionHeaders.Subject)
                ?? throw new EventEncryptionException(streamId, data.EventId, $"it names personal fields but no '{EncryptionHeaders.Subject}' header.");
            return fields.Length == 0 ? null : (Checked(streamId, data, subject), fields);
        }

        if (_options.Policy.Find(data.EventType) is not { } rule)
        {
            return null;
        }

        var named = IsJson(data.ContentType) ? JsonFieldCipher.ReadSubject(data.Data, rule.SubjectField) : headers?.GetValueOrDefault(EncryptionHeaders.Subject);
        return named is null
            ? throw new EventEncryptionException(streamId, data.EventId, $"event type '{data.EventType}' has personal data but its subject field '{rule.SubjectField}' is missing or not a string or number.")
            : (Checked(streamId, data, named), rule.PersonalFields);
    }

    private static string Checked(string streamId, EventData data, string subject)
    {
        try
        {
            DataKeyValidation.Subject(subject);
            return subject;
        }
        catch (ArgumentException e)
        {
            throw new EventEncryptionException(streamId, data.EventId, e.Message);
        }
    }

    private async ValueTask<RecordedEvent> DecryptAsync(RecordedEvent recorded, IReadOnlyDictionary<string, string> headers, string encrypted, CancellationToken ct)
    {
        var subject = headers.GetValueOrDefault(EncryptionHeaders.Subject) ?? string.Empty;
        var version = headers.TryGetValue(KeyVersionHeader, out var v) && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var storeId = await _ring.StoreIdAsync(ct).ConfigureAwait(false);
        var context = new FieldContext(storeId, _options.Tenant, recorded.StreamId, recorded.EventId, subject);
        if (subject.Length == 0 || version < 1)
        {
            throw context.Fail(null, version, "its encryption headers are missing or malformed.");
        }

        KeyLookup lookup;
        try
        {
            var pending = _ring.ForDecryptionAsync(subject, version, ct);
            lookup = pending.IsCompletedSuccessfully ? pending.Result : await pending.ConfigureAwait(false);
        }
        catch (KeyProviderException e)
        {
            throw context.Fail(null, version, $"its data key does not unwrap with key-encryption key '{e.KeyId}'.", e);
        }

        if (lookup.Key is null && lookup.ErasedAt is not null && _options.Redaction == RedactionPolicy.Throw)
        {
            throw context.Fail(null, version, $"subject '{subject}' was erased at {lookup.ErasedAt:O}.");
        }

        List<string>? redacted = null;
        RecordedEvent result;
        if (encrypted == EncryptionHeaders.WholePayload)
        {
            var contentType = headers.GetValueOrDefault(EncryptionHeaders.OriginalContentType) ?? ContentTypes.Binary;
            if (lookup.Key is null)
            {
                if (lookup.ErasedAt is null)
                {
                    throw context.Fail(null, version, "its data key is not in the store.");
                }

                redacted = [EncryptionHeaders.WholePayload];
                result = recorded with { Data = ReadOnlyMemory<byte>.Empty, ContentType = contentType };
            }
            else if (PayloadCipher.VersionOf(recorded.Data.Span) != version)
            {
                throw context.Fail(lookup.Key, version, "the encrypted payload is truncated or malformed.");
            }
            else
            {
                result = recorded with { Data = PayloadCipher.Decrypt(recorded.Data.Span, contentType, lookup.Key, context), ContentType = contentType };
            }
        }
        else
        {
            result = recorded with { Data = JsonFieldCipher.Decrypt(recorded.Data, lookup, version, context, ref redacted) };
        }

        if (redacted is null)
        {
            return result;
        }

        // In the order the fields were encrypted: a backend may store JSON properties in another order (jsonb).
        var order = encrypted.Split(',');
        redacted.Sort((a, b) => Array.IndexOf(order, a).CompareTo(Array.IndexOf(order, b)));
        var shown = new Dictionary<string, string>(headers, StringComparer.Ordinal) { [EncryptionHeaders.Redacted] = string.Join(',', redacted) };
        return result with { Metadata = result.Metadata with { Headers = shown } };
    }
}
