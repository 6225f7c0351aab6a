using System.Runtime.CompilerServices;
using Eventuali.DataKeys;
using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>
/// Wrapped data keys in the store's schema (tables data_keys, erased_subjects, subject_streams, store_identity;
/// migration 009). Erasure deletes and records in one statement, then vacuums data_keys so the destroyed keys'
/// bytes do not wait for autovacuum.
/// </summary>
public sealed partial class PostgreSqlEventStore : IDataKeyStore
{
    private const int KeyPage = 256;
    private string? _storeId;

    // data_keys.sql is part of the store's statements (the appender records subject streams with one of them).
    private SqlText KeySql => _sql;

    /// <inheritdoc />
    public async ValueTask<string> GetStoreIdAsync(CancellationToken cancellationToken = default)
        => _storeId ??= await ScalarAsync(KeySql["store_id"], cancellationToken).ConfigureAwait(false) as string
            ?? throw new InvalidOperationException("The store has no store id: its key tables are missing (migration 009).");

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<StoredDataKey>> GetDataKeysAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        var keys = new List<StoredDataKey>();
        await ReadRowsAsync(KeySql["keys_of_subject"], r => keys.Add(ReadKey(r)), cancellationToken, Text(subjectId)).ConfigureAwait(false);
        return keys;
    }

    /// <inheritdoc />
    public async ValueTask<bool> AddDataKeyAsync(StoredDataKey key, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Key(key);
        return await ScalarAsync(KeySql["key_add"], cancellationToken, Text(key.SubjectId), Int(key.Version), Text(key.KekId), Bytes(key.WrappedKey),
            new NpgsqlParameter<DateTimeOffset> { TypedValue = key.CreatedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz }, Big(key.UsesReserved)).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc />
    public async ValueTask<long?> ReserveUsesAsync(string subjectId, int version, long count, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return await ScalarAsync(KeySql["key_reserve"], cancellationToken, Text(subjectId), Int(version), Big(count)).ConfigureAwait(false) is long uses ? uses : null;
    }

    /// <inheritdoc />
    public async ValueTask<bool> ReplaceWrappingAsync(string subjectId, int version, string expectedKekId, string newKekId, ReadOnlyMemory<byte> wrappedKey, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        ArgumentException.ThrowIfNullOrWhiteSpace(expectedKekId);
        ArgumentException.ThrowIfNullOrWhiteSpace(newKekId);
        return await ScalarAsync(KeySql["key_rewrap"], cancellationToken, Text(subjectId), Int(version), Text(expectedKekId), Text(newKekId), Bytes(wrappedKey)).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredDataKey> ListDataKeysAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (subject, version) = (string.Empty, 0);
        var page = new List<StoredDataKey>();
        while (true)
        {
            page.Clear();
            await ReadRowsAsync(KeySql["keys_page"], r => page.Add(ReadKey(r)), cancellationToken, Text(subject), Int(version), Int(KeyPage)).ConfigureAwait(false);
            foreach (var key in page)
            {
                yield return key;
            }

            if (page.Count < KeyPage)
            {
                yield break;
            }

            (subject, version) = (page[^1].SubjectId, page[^1].Version);
        }
    }

    /// <inheritdoc />
    public async ValueTask<int> EraseSubjectAsync(string subjectId, DateTimeOffset erasedAt, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        var destroyed = await ScalarAsync(KeySql["subject_erase"], cancellationToken, Text(subjectId),
            new NpgsqlParameter<DateTimeOffset> { TypedValue = erasedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz }).ConfigureAwait(false) is long n ? (int)n : 0;
        if (destroyed > 0)
        {
            try
            {
                await ScalarAsync(KeySql["keys_vacuum"], cancellationToken).ConfigureAwait(false);
            }
            catch (EventualiException)
            {
                // A role that may not vacuum leaves the dead rows to autovacuum; the keys are already gone from every read.
            }
        }

        return destroyed;
    }

    /// <inheritdoc />
    public async ValueTask<DateTimeOffset?> GetErasureAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        DateTimeOffset? at = null;
        await ReadRowsAsync(KeySql["erasure_of"], r => at = r.GetFieldValue<DateTimeOffset>(0), cancellationToken, Text(subjectId)).ConfigureAwait(false);
        return at;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ErasedSubject> ListErasedSubjectsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var after = string.Empty;
        var page = new List<ErasedSubject>();
        while (true)
        {
            page.Clear();
            await ReadRowsAsync(KeySql["erased_page"], r => page.Add(new ErasedSubject(r.GetString(0), r.GetFieldValue<DateTimeOffset>(1))), cancellationToken, Text(after), Int(KeyPage)).ConfigureAwait(false);
            foreach (var e in page)
            {
                yield return e;
            }

            if (page.Count < KeyPage)
            {
                yield break;
            }

            after = page[^1].SubjectId;
        }
    }

    /// <inheritdoc />
    public bool RecordsSubjectStreamsOnAppend => true;

    /// <inheritdoc />
    public async ValueTask RecordSubjectStreamAsync(string subjectId, string streamId, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        AppendValidation.ValidateStreamId(streamId);
        await ScalarAsync(KeySql["subject_stream_add"], cancellationToken, Text(subjectId), Text(streamId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> GetSubjectStreamsAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        var list = new List<string>();
        await ReadRowsAsync(KeySql["streams_of_subject"], r => list.Add(r.GetString(0)), cancellationToken, Text(subjectId)).ConfigureAwait(false);
        return list;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> GetStreamSubjectsAsync(string streamId, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        var list = new List<string>();
        await ReadRowsAsync(KeySql["subjects_of_stream"], r => list.Add(r.GetString(0)), cancellationToken, Text(streamId)).ConfigureAwait(false);
        return list;
    }

    private static StoredDataKey ReadKey(NpgsqlDataReader r)
        => new(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetFieldValue<byte[]>(3), r.GetFieldValue<DateTimeOffset>(4), r.GetInt64(5));

    private static NpgsqlParameter<int> Int(int value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Integer };

    private static NpgsqlParameter<byte[]> Bytes(ReadOnlyMemory<byte> value) => new() { TypedValue = value.ToArray(), NpgsqlDbType = NpgsqlDbType.Bytea };
}
