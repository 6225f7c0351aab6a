using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite.Tests;

/// <summary>
/// A full disk, reproduced for real: PRAGMA max_page_count caps the writer connection's file at its current size,
/// so SQLite answers SQLITE_FULL exactly as it does when the disk has no room left.
/// </summary>
public sealed class DiskFullTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_full_disk_is_a_typed_error_naming_the_file_and_nothing_stored_is_lost()
    {
        await using var temp = new TempSqliteStore();
        var store = (SqliteEventStore)await temp.OpenAsync();
        var before = Enumerable.Range(0, 20).Select(i => EventData.Json("deposited", $$"""{"n":{{i}}}""")).ToArray();
        await store.AppendAsync("account-1", ExpectedVersion.NoStream, before, Ct);

        var writer = WriterConnection(store);
        SetMaxPageCount(writer, CurrentPageCount(writer));
        var big = EventData.Json("statement", $$"""{"text":"{{new string('x', 256 * 1024)}}"}""");

        var ex = await Assert.ThrowsAsync<EventStoreFullException>(() => store.AppendAsync("account-2", ExpectedVersion.NoStream, [big], Ct).AsTask());
        Assert.Contains($"the SQLite file '{temp.FilePath}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("is full", ex.Message, StringComparison.Ordinal);
        Assert.Contains("nothing of this write was stored", ex.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(ex.InnerException);

        // Nothing stored before is lost, the refused append left nothing behind, and the store keeps working.
        Assert.Equal(20, (await store.ReadAllAsync(cancellationToken: Ct).ToListAsync(Ct)).Count);
        Assert.Null(await store.GetStreamVersionAsync("account-2", Ct));
        SetMaxPageCount(writer, 1_073_741_823);
        var retried = await store.AppendAsync("account-2", ExpectedVersion.NoStream, [big], Ct);
        Assert.Equal(1, retried.StreamVersion);
        await store.DisposeAsync();

        var reopened = await temp.OpenAsync();
        Assert.Equal(21, (await reopened.ReadAllAsync(cancellationToken: Ct).ToListAsync(Ct)).Count);
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_writerConnection")]
    private static extern ref SqliteConnection WriterConnection(SqliteEventStore store);

    private static long CurrentPageCount(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_count";
        return (long)command.ExecuteScalar()!;
    }

    private static void SetMaxPageCount(SqliteConnection connection, long pages)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA max_page_count = {pages}";
        command.ExecuteNonQuery();
    }
}
