using System.Runtime.CompilerServices;
using Eventuali.DataKeys;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite;

/// <summary>
/// Wrapped data keys in the store's file (tables data_keys, erased_subjects, subject_streams, store_identity;
/// migration 009), on the connection checkpoints use. Erasure overwrites the freed pages (secure_delete) and
/// truncates the WAL, so a destroyed key's bytes do not linger in the file.
/// </summary>
public sealed partial class SqliteEventStore : IDataKeyStore
{
    private const int KeyPage = 256;
    private string? _storeId;

    /// <inheritdoc />
    public ValueTask<string> GetStoreIdAsync(CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_storeId ??= RunCheckpoint(c => Scalar(c, "store_id") as string, cancellationToken)
            ?? throw new InvalidOperationException("The store has no store id: its key tables are missing (migration 009)."));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredDataKey>> GetDataKeysAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        return ValueTask.FromResult<IReadOnlyList<StoredDataKey>>(RunCheckpoint(c => ReadKeys(Command(c, "keys_of_subject", subjectId)), cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<bool> AddDataKeyAsync(StoredDataKey key, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Key(key);
        var created = EventRow.ToUnixMicroseconds(key.CreatedAt);
        return ValueTask.FromResult(RunCheckpoint(
            c => Exec(c, "key_add", key.SubjectId, key.Version, key.KekId, key.WrappedKey.ToArray(), created, key.UsesReserved) == 1,
            cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<long?> ReserveUsesAsync(string subjectId, int version, long count, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return ValueTask.FromResult(RunCheckpoint(c => Scalar(c, "key_reserve", subjectId, version, count) is long uses ? uses : (long?)null, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<bool> ReplaceWrappingAsync(string subjectId, int version, string expectedKekId, string newKekId, ReadOnlyMemory<byte> wrappedKey, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        ArgumentException.ThrowIfNullOrWhiteSpace(expectedKekId);
        ArgumentException.ThrowIfNullOrWhiteSpace(newKekId);
        var bytes = wrappedKey.ToArray();
        return ValueTask.FromResult(RunCheckpoint(c => Exec(c, "key_rewrap", subjectId, version, expectedKekId, newKekId, bytes) == 1, cancellationToken));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredDataKey> ListDataKeysAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        var (subject, version) = (string.Empty, 0);
        while (true)
        {
            var page = RunCheckpoint(c => ReadKeys(Command(c, "keys_page", subject, version, KeyPage)), cancellationToken);
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
        var at = EventRow.ToUnixMicroseconds(erasedAt);

        // The connection runs with secure_delete on (set when it opens), so the freed cells are zeroed.
        var destroyed = RunCheckpoint(
            c =>
            {
                using var transaction = c.BeginTransaction(deferred: false);
                using var erase = Command(c, "subject_erase_keys", subjectId);
                using var record = Command(c, "subject_erase_record", subjectId, at);
                erase.Transaction = record.Transaction = transaction;
                var count = erase.ExecuteNonQuery();
                record.ExecuteNonQuery();
                transaction.Commit();
                return count;
            },
            cancellationToken);
        await TruncateWalAsync(subjectId, "the keys are destroyed", cancellationToken).ConfigureAwait(false);
        return destroyed;
    }

    /// <summary>
    /// Copies the pages an erasure zeroed back from the write-ahead log and empties it: until then the WAL still holds
    /// them as they were. A reader or another checkpoint can make one attempt report busy, so this retries for a
    /// while; if it stays busy, the erasure is not finished and says so (running it again completes it).
    /// </summary>
    private async ValueTask TruncateWalAsync(string subjectId, string done, CancellationToken cancellationToken)
    {
        if (Location.IsMemory)
        {
            return;
        }

        var deadline = Environment.TickCount64 + 30_000;
        while (RunCheckpoint(c => Scalar(c, "PRAGMA wal_checkpoint(TRUNCATE);") is long busy && busy != 0, cancellationToken))
        {
            if (Environment.TickCount64 >= deadline)
            {
                throw new EventStoreUnavailableException($"Erasing subject '{subjectId}': {done}, but the write-ahead log of {SqliteMigrations.Describe(Location)} stayed busy for 30 s and still holds their old pages; run the erasure again once readers finish.", isTransient: true);
            }

            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask<DateTimeOffset?> GetErasureAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        return ValueTask.FromResult(RunCheckpoint(c => Scalar(c, "erasure_of", subjectId) is long at ? EventRow.FromUnixMicroseconds(at) : (DateTimeOffset?)null, cancellationToken));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ErasedSubject> ListErasedSubjectsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        var after = string.Empty;
        while (true)
        {
            var page = RunCheckpoint(
                c =>
                {
                    var list = new List<ErasedSubject>();
                    using var reader = Command(c, "erased_page", after, KeyPage).ExecuteReader();
                    while (reader.Read())
                    {
                        list.Add(new ErasedSubject(reader.GetString(0), EventRow.FromUnixMicroseconds(reader.GetInt64(1))));
                    }

                    return list;
                },
                cancellationToken);
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
    public ValueTask RecordSubjectStreamAsync(string subjectId, string streamId, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        AppendValidation.ValidateStreamId(streamId);
        RunCheckpoint(c => Exec(c, "subject_stream_add", subjectId, streamId), cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> GetSubjectStreamsAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        DataKeyValidation.Subject(subjectId);
        return ValueTask.FromResult<IReadOnlyList<string>>(RunCheckpoint(c => Strings(Command(c, "streams_of_subject", subjectId)), cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> GetStreamSubjectsAsync(string streamId, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        return ValueTask.FromResult<IReadOnlyList<string>>(RunCheckpoint(c => Strings(Command(c, "subjects_of_stream", streamId)), cancellationToken));
    }

    private static SqliteCommand Command(SqliteConnection connection, string name, params object[] args)
    {
        var command = connection.CreateCommand();
        command.CommandText = name.StartsWith("PRAGMA", StringComparison.Ordinal) ? name : DataKeySql.Get(name);
        for (var i = 0; i < args.Length; i++)
        {
            command.Parameters.AddWithValue("?" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), args[i]);
        }

        return command;
    }

    private static int Exec(SqliteConnection connection, string name, params object[] args)
    {
        using var command = Command(connection, name, args);
        return command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string name, params object[] args)
    {
        using var command = Command(connection, name, args);
        return command.ExecuteScalar();
    }

    private static List<StoredDataKey> ReadKeys(SqliteCommand command)
    {
        using (command)
        {
            var keys = new List<StoredDataKey>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                keys.Add(new StoredDataKey(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), (byte[])reader.GetValue(3), EventRow.FromUnixMicroseconds(reader.GetInt64(4)), reader.GetInt64(5)));
            }

            return keys;
        }
    }

    private static List<string> Strings(SqliteCommand command)
    {
        using (command)
        {
            var list = new List<string>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                list.Add(reader.GetString(0));
            }

            return list;
        }
    }
}
