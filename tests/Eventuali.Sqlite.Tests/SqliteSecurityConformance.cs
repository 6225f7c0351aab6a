using Eventuali.Conformance.Security;

namespace Eventuali.Sqlite.Tests;

public sealed class SqliteEncryption(SqliteFileFixture f) : EncryptionConformance<SqliteFileFixture>(f);

/// <summary>Key lifecycle on a real file; the erasure test scans the database file and its WAL byte for byte.</summary>
public sealed class SqliteKeyLifecycle(SqliteFileFixture f) : KeyLifecycleConformance<SqliteFileFixture>(f)
{
    protected override ValueTask<byte[]?> DumpStorageAsync(IEventStore store) => SqliteStorage.DumpAsync(store);
}

/// <summary>Erasure of projection data on a real file; scans the database file and its WAL byte for byte.</summary>
public sealed class SqliteErasureScrub(SqliteFileFixture f) : ErasureScrubConformance<SqliteFileFixture>(f)
{
    protected override ValueTask<byte[]?> DumpStorageAsync(IEventStore store) => SqliteStorage.DumpAsync(store);
}

public sealed class SqliteMemoryEncryption(SqliteMemoryFixture f) : EncryptionConformance<SqliteMemoryFixture>(f);

public sealed class SqliteSubjectStreams(SqliteFileFixture f) : SubjectStreamsConformance<SqliteFileFixture>(f);

internal static class SqliteStorage
{
    /// <summary>The database file and its WAL, as they are on disk.</summary>
    public static async ValueTask<byte[]?> DumpAsync(IEventStore store)
    {
        var path = ((SqliteEventStore)store).Location.FilePath!;
        using var all = new MemoryStream();
        foreach (var file in new[] { path, path + "-wal" })
        {
            if (File.Exists(file))
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                await stream.CopyToAsync(all, TestContext.Current.CancellationToken);
            }
        }

        return all.ToArray();
    }
}
