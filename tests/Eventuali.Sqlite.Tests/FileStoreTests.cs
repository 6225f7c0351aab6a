using System.Text;
using Microsoft.Data.Sqlite;
using static Eventuali.Sqlite.Tests.TestEvents;

namespace Eventuali.Sqlite.Tests;

public sealed class FileStoreTests
{
    [Fact]
    public async Task Reopened_file_store_finds_every_event_stream_and_position()
    {
        await using var temp = new TempSqliteStore();
        var metadata = new EventMetadata("corr-1", "cause-1", "actor-1", new Dictionary<string, string> { ["tenant"] = "t1", ["ü"] = "ß" });
        var binary = new EventData(Guid.NewGuid(), "Blob", new byte[] { 0, 1, 2, 255 }, contentType: ContentTypes.Binary);
        var empty = new EventData(Guid.NewGuid(), "Empty", ReadOnlyMemory<byte>.Empty, contentType: ContentTypes.Binary);
        var first = Deposits(3);
        var withMeta = Deposit(7, metadata);
        var store = await temp.OpenAsync();
        await store.AppendAsync("account-1", ExpectedVersion.NoStream, first, Ct);
        await store.AppendAsync("account-2", ExpectedVersion.NoStream, [withMeta, binary, empty], Ct);
        await store.AppendAsync("account-1", ExpectedVersion.Exact(3), [Deposit(4)], Ct);
        await store.DisposeAsync();

        var reopened = await temp.OpenAsync();
        Assert.Equal(4, await reopened.GetStreamVersionAsync("account-1", Ct));
        Assert.Equal(3, await reopened.GetStreamVersionAsync("account-2", Ct));
        Assert.Null(await reopened.GetStreamVersionAsync("account-3", Ct));
        Assert.Equal(7, await reopened.GetHeadPositionAsync(Ct));

        var all = await reopened.ReadAllAsync(cancellationToken: Ct).ToListAsync();
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], all.Select(e => e.Position));
        Assert.Equal(first[0].EventId, all[0].EventId);
        AssertSameJson(first[0].Data, all[0].Data);
        Assert.Same(EventMetadata.Empty, all[0].Metadata);

        var two = await reopened.ReadStreamAsync("account-2", cancellationToken: Ct).ToListAsync();
        Assert.True(metadata.ContentEquals(two[0].Metadata));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, two[1].Data.ToArray());
        Assert.Equal(ContentTypes.Binary, two[1].ContentType);
        Assert.Equal(ContentTypes.Json, two[0].ContentType);
        Assert.Empty(two[2].Data.ToArray());

        var backward = await reopened.ReadStreamAsync("account-1", StreamVersion.End, 2, ReadDirection.Backward, Ct).ToListAsync();
        Assert.Equal([4L, 3], backward.Select(e => e.StreamVersion));
    }

    [Theory]
    [InlineData(Durability.Full, "", 2)]
    [InlineData(Durability.Relaxed, "", 1)]
    [InlineData(Durability.Full, "?durability=relaxed", 1)]
    [InlineData(Durability.Relaxed, "?durability=full", 2)]
    public async Task Durability_sets_pragma_synchronous_and_wal(Durability durability, string query, long expectedSynchronous)
    {
        await using var temp = new TempSqliteStore();
        var store = (SqliteEventStore)await temp.OpenAsync(new EventStoreOptions { Durability = durability }, query);
        Assert.Equal(expectedSynchronous, store.WriterSynchronous);
        Assert.Equal(expectedSynchronous == 2 ? Durability.Full : Durability.Relaxed, store.Options.Durability);

        await using var probe = new SqliteConnection($"Data Source={temp.FilePath};Pooling=false");
        await probe.OpenAsync(Ct);
        await using var command = probe.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task Json_is_stored_as_text_and_binary_as_blob()
    {
        await using var temp = new TempSqliteStore();
        var store = await temp.OpenAsync();
        await store.AppendAsync("account-1", ExpectedVersion.Any, [Deposit(12, new EventMetadata(Headers: new Dictionary<string, string> { ["h"] = "v" }))], Ct);
        await store.AppendAsync("blob-1", ExpectedVersion.Any, [new EventData(Guid.NewGuid(), "B", Encoding.UTF8.GetBytes("{\"x\":1}"), contentType: ContentTypes.Protobuf)], Ct);

        await using var probe = new SqliteConnection($"Data Source={temp.FilePath};Pooling=false");
        await probe.OpenAsync(Ct);
        await using var command = probe.CreateCommand();
        command.CommandText = "SELECT typeof(data), json_extract(data, '$.amount'), json_extract(data, '$.note'), json_extract(headers, '$.h') FROM events ORDER BY position";
        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal("text", reader.GetString(0));
        Assert.Equal(12.5, reader.GetDouble(1));
        Assert.Equal("deposit note 12", reader.GetString(2));
        Assert.Equal("v", reader.GetString(3));
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal("blob", reader.GetString(0));
    }

    [Fact]
    public async Task Memory_stores_are_private_to_each_store_object()
    {
        await using var a = await SqliteEventStore.OpenAsync(":memory:", EventStoreOptions.Default, Ct);
        await using var b = await SqliteEventStore.OpenAsync(":memory:", EventStoreOptions.Default, Ct);
        await a.AppendAsync("s-1", ExpectedVersion.NoStream, Deposits(2), Ct);
        Assert.Equal(2, await a.GetStreamVersionAsync("s-1", Ct));
        Assert.Null(await b.GetStreamVersionAsync("s-1", Ct));
        Assert.Equal(0, await b.GetHeadPositionAsync(Ct));
        Assert.Empty(await b.ReadAllAsync(cancellationToken: Ct).ToListAsync());
        await b.AppendAsync("s-1", ExpectedVersion.NoStream, Deposits(1), Ct);
        Assert.Equal(2, (await a.ReadStreamAsync("s-1", cancellationToken: Ct).ToListAsync()).Count);
    }

    [Fact]
    public async Task Memory_store_serves_concurrent_writers_and_readers()
    {
        await using var store = await SqliteEventStore.OpenAsync(":memory:", EventStoreOptions.Default, Ct);
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await store.AppendAsync($"w-{w}", ExpectedVersion.Exact(i), [Deposit(i)], Ct);
            }
        }, Ct)).ToList();
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (writers.Any(w => !w.IsCompleted))
            {
                var positions = (await store.ReadAllAsync(cancellationToken: Ct).ToListAsync()).Select(e => e.Position).ToList();
                Assert.Equal(Enumerable.Range(1, positions.Count).Select(i => (long)i), positions);
            }
        }, Ct)).ToList();
        await Task.WhenAll(writers.Concat(readers));
        Assert.Equal(400, await store.GetHeadPositionAsync(Ct));
    }

    [Fact]
    public async Task ReadAll_filters_by_prefix_and_type_and_pages_without_skipping()
    {
        await using var temp = new TempSqliteStore();
        var store = await temp.OpenAsync(new EventStoreOptions { Durability = Durability.Relaxed, ReadPageSize = 3 });
        await store.AppendAsync("account-1", ExpectedVersion.Any, Deposits(4), Ct);
        await store.AppendAsync("accounts", ExpectedVersion.Any, [EventData.Json("Opened", "{}")], Ct);
        await store.AppendAsync("account\u00ff", ExpectedVersion.Any, [EventData.Json("Opened", "{}")], Ct);
        await store.AppendAsync("order-1", ExpectedVersion.Any, [EventData.Json("Opened", "{}"), EventData.Json("Shipped", "{}")], Ct);
        await store.AppendAsync("account-2", ExpectedVersion.Any, [EventData.Json("Opened", "{}")], Ct);

        var all = await store.ReadAllAsync(cancellationToken: Ct).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), all.Select(e => e.Position));
        var category = await store.ReadAllAsync(filter: EventFilter.ForCategory("account-"), cancellationToken: Ct).ToListAsync();
        Assert.Equal(5, category.Count);
        Assert.All(category, e => Assert.StartsWith("account-", e.StreamId, StringComparison.Ordinal));
        var opened = await store.ReadAllAsync(filter: EventFilter.ForEventTypes("Opened", "Shipped"), cancellationToken: Ct).ToListAsync();
        Assert.Equal([5L, 6, 7, 8, 9], opened.Select(e => e.Position));
        var both = await store.ReadAllAsync(3, 2, new EventFilter { StreamIdPrefix = "account", EventTypes = ["Opened"] }, Ct).ToListAsync();
        Assert.Equal(["accounts", "account\u00ff"], both.Select(e => e.StreamId));
    }

    [Fact]
    public void Direct_column_reads_use_the_library_sqlite_runs_on()
        => Assert.True(NativeColumns.Available, "the e_sqlite3 library loaded by SQLitePCLRaw should be callable directly");

    [Theory]
    [InlineData("abc", "abd")]
    [InlineData("a\uffff", "a\U00010000")]
    [InlineData("a\ud7ff", "a\ue000")]
    [InlineData("a\U0010FFFF", "b")]
    public void Prefix_upper_bound_is_the_next_code_point(string prefix, string expected)
        => Assert.Equal(expected, SqliteFilter.UpperBound(prefix));
}
