using System.Text;
using DuckDB.NET.Data;
using Eventuali.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Eventuali.Parquet.Tests;

public sealed class ParquetExportTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _dir = Directory.CreateTempSubdirectory("eventuali-parquet-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 23, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Output => Path.Combine(_dir, "lake");

    private async Task<IEventStore> OpenStoreAsync()
        => await SqliteEventStore.OpenAsync(Path.Combine(_dir, "events.db"), EventStoreOptions.Default with { TimeProvider = _clock }, Ct);

    private static EventData Event(string type, int amount, EventMetadata? metadata = null)
        => new(Guid.NewGuid(), type, Encoding.UTF8.GetBytes($"{{\"amount\":{amount}}}"), metadata ?? EventMetadata.Empty, "application/json");

    private static async Task AppendAsync(IEventStore store, string stream, params EventData[] events)
        => await store.AppendAsync(stream, ExpectedVersion.Any, events, Ct);

    [Fact]
    public async Task Duckdb_reads_the_partitioned_files_and_count_and_sum_match_the_store()
    {
        await using var store = await OpenStoreAsync();
        await AppendAsync(store, "account-1", Event("Opened", 0), Event("Deposited", 100), Event("Deposited", 25));
        var placedEvent = Event("Placed", 40, new EventMetadata("c-1", "cause", "alice", new Dictionary<string, string> { ["tenant"] = "t1" }));
        await AppendAsync(store, "order-7", placedEvent);
        _clock.Advance(TimeSpan.FromHours(2)); // past midnight: a second date partition
        await AppendAsync(store, "account-1", Event("Withdrawn", 30));
        await AppendAsync(store, "nocategory", Event("Pinged", 1));

        var result = await ParquetExport.ExportAsync(store, new ParquetExportOptions(Output), Ct);

        Assert.Equal(6, result.Events);
        Assert.Contains(Path.Combine(Output, "date=2026-03-01", "category=account", "part-0000000000000000001.parquet"), result.Files);
        Assert.Contains(Path.Combine(Output, "date=2026-03-02", "category=__HIVE_DEFAULT_PARTITION__", "part-0000000000000000001.parquet"), result.Files);
        var (count, versions, positions) = await StoreTotalsAsync(store);
        using var duck = OpenDuck();
        var row = Query(duck, $"select count(*), sum(stream_version)::bigint, sum(position)::bigint, sum(cast(json_extract(data, '$.amount') as bigint))::bigint from read_parquet('{Glob}', hive_partitioning = true)");
        Assert.Equal(count, Convert.ToInt64(row[0]));
        Assert.Equal(versions, Convert.ToInt64(row[1]));
        Assert.Equal(positions, Convert.ToInt64(row[2]));
        Assert.Equal(196L, Convert.ToInt64(row[3]));

        var placed = Query(duck, $"select category, cast(date as varchar), correlation_id, actor_id, headers, event_type, timestamp::varchar, event_id::varchar from read_parquet('{Glob}', hive_partitioning = true) where stream_id = 'order-7'");
        Assert.Equal(["order", "2026-03-01", "c-1", "alice", "{\"tenant\":\"t1\"}", "Placed"], placed[..6]);
        Assert.StartsWith("2026-03-01 23:00:00", (string)placed[6]!);
        Assert.Equal(placedEvent.EventId.ToString("D"), placed[7]);
    }

    [Fact]
    public async Task A_second_run_exports_only_new_events_and_never_an_event_twice()
    {
        await using var store = await OpenStoreAsync();
        await AppendAsync(store, "account-1", Event("Opened", 0), Event("Deposited", 10));
        var first = await ParquetExport.ExportAsync(store, new ParquetExportOptions(Output), Ct);
        var again = await ParquetExport.ExportAsync(store, new ParquetExportOptions(Output), Ct);
        await AppendAsync(store, "account-1", Event("Deposited", 5));
        await AppendAsync(store, "account-2", Event("Opened", 0));
        var third = await ParquetExport.ExportAsync(store, new ParquetExportOptions(Output), Ct);

        Assert.Equal((2L, 0L, 2L), (first.Events, again.Events, third.Events));
        Assert.Empty(again.Files);
        Assert.Equal(first.ToPosition + 1, third.FromPosition);
        using var duck = OpenDuck();
        var row = Query(duck, $"select count(*), count(distinct event_id), sum(cast(json_extract(data, '$.amount') as bigint))::bigint from read_parquet('{Glob}', hive_partitioning = true)");
        Assert.Equal([4L, 4L, 15L], row.Select(Convert.ToInt64).ToArray());
        Assert.Contains("\"position\":" + third.ToPosition, await File.ReadAllTextAsync(Path.Combine(Output, "_eventuali_checkpoint.json"), Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_row_groups_and_a_payload_larger_than_a_text_chunk_read_back_whole()
    {
        await using var store = await OpenStoreAsync();
        var big = new string('x', 1_500_000);
        for (var i = 0; i < 7; i++)
        {
            await AppendAsync(store, "account-" + (i % 2), Event("Deposited", i));
        }

        await AppendAsync(store, "account-0", new EventData(Guid.NewGuid(), "Big", Encoding.UTF8.GetBytes($"{{\"amount\":100,\"blob\":\"{big}\"}}"), EventMetadata.Empty, "application/json"));
        await AppendAsync(store, "account-1", new EventData(Guid.NewGuid(), "Bin", new byte[] { 0, 1, 2, 255 }, EventMetadata.Empty, "application/octet-stream"));

        var result = await ParquetExport.ExportAsync(store, new ParquetExportOptions(Output) { RowGroupSize = 2 }, Ct);

        Assert.Equal(9, result.Events);
        using var duck = OpenDuck();
        var row = Query(duck, $"select count(*), count(distinct event_id), sum(position)::bigint, max(length(data)), sum(cast(json_extract(data, '$.amount') as bigint))::bigint from read_parquet('{Glob}', hive_partitioning = true) where content_type = 'application/json'");
        Assert.Equal([8L, 8L, 36L, 1_500_024L, 121L], row.Select(Convert.ToInt64).ToArray());
        Assert.Equal("AAEC/w==", Query(duck, $"select data from read_parquet('{Glob}', hive_partitioning = true) where event_type = 'Bin'")[0]);
    }

    [Fact]
    public async Task Text_buffers_reused_across_row_groups_never_mix_payloads()
    {
        // Row groups of three ~600,000-char payloads span two text chunks each, so later groups write into reused
        // (and, after the 1,300,000-char one, enlarged) chunks: every payload must still read back as its own letter.
        await using var store = await OpenStoreAsync();
        for (var i = 0; i < 12; i++)
        {
            var blob = new string((char)('a' + i), i == 4 ? 1_300_000 : 600_000);
            await AppendAsync(store, "account-1", new EventData(Guid.NewGuid(), "Blob", Encoding.UTF8.GetBytes($"{{\"amount\":{i},\"blob\":\"{blob}\"}}"), EventMetadata.Empty, "application/json"));
        }

        var result = await ParquetExport.ExportAsync(store, new ParquetExportOptions(Output) { RowGroupSize = 3 }, Ct);

        Assert.Equal(12, result.Events);
        using var duck = OpenDuck();
        var row = Query(duck, $"select count(*), sum(cast(json_extract(data, '$.amount') as bigint))::bigint, sum(length(data))::bigint, count(*) filter (where replace(json_extract_string(data, '$.blob'), chr(97 + cast(json_extract(data, '$.amount') as integer)), '') = '') from read_parquet('{Glob}', hive_partitioning = true)");
        Assert.Equal([12L, 66L, (11 * 600_000L) + 1_300_000L + 266, 12L], row.Select(Convert.ToInt64).ToArray());
    }

    [Fact]
    public async Task Category_prefix_exports_only_those_streams()
    {
        await using var store = await OpenStoreAsync();
        await AppendAsync(store, "account-1", Event("Opened", 0));
        await AppendAsync(store, "order-1", Event("Placed", 3));

        var result = await ParquetExport.ExportAsync(store, new ParquetExportOptions(Output) { StreamIdPrefix = "order-" }, Ct);

        Assert.Equal(1, result.Events);
        Assert.All(result.Files, f => Assert.Contains("category=order", f, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_target_that_is_a_file_fails_naming_it_and_writes_no_checkpoint()
    {
        await using var store = await OpenStoreAsync();
        await AppendAsync(store, "account-1", Event("Opened", 0));
        var file = Path.Combine(_dir, "not-a-dir");
        await File.WriteAllTextAsync(file, "x", Ct);
        var head = await store.GetHeadPositionAsync(Ct);

        var error = await Assert.ThrowsAsync<ParquetExportException>(() => ParquetExport.ExportAsync(store, new ParquetExportOptions(file), Ct));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Equal(head, await store.GetHeadPositionAsync(Ct));
        Assert.Equal("x", await File.ReadAllTextAsync(file, Ct));
    }

    [Fact]
    public async Task A_damaged_checkpoint_fails_naming_it_instead_of_exporting_everything_again()
    {
        await using var store = await OpenStoreAsync();
        await AppendAsync(store, "account-1", Event("Opened", 0));
        Directory.CreateDirectory(Output);
        var checkpoint = Path.Combine(Output, "_eventuali_checkpoint.json");
        await File.WriteAllTextAsync(checkpoint, "garbage", Ct);

        var error = await Assert.ThrowsAsync<ParquetExportException>(() => ParquetExport.ExportAsync(store, new ParquetExportOptions(Output), Ct));

        Assert.Contains(checkpoint, error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Output, "*.parquet", SearchOption.AllDirectories));
    }

    [Fact]
    public void Category_values_are_escaped_for_directory_names()
    {
        Assert.Equal("a%2Fb%20c", PartitionPath.Escape("a/b c"));
        Assert.Equal("v1.2", PartitionPath.Escape("v1.2"));
        Assert.Equal("__HIVE_DEFAULT_PARTITION__", PartitionPath.Escape(""));
    }

    private string Glob => Path.Combine(Output, "**", "*.parquet").Replace("'", "''", StringComparison.Ordinal);

    private static async Task<(long Count, long Versions, long Positions)> StoreTotalsAsync(IEventStore store)
    {
        long count = 0, versions = 0, positions = 0;
        await foreach (var e in store.ReadAllAsync(cancellationToken: Ct))
        {
            count++;
            versions += e.StreamVersion;
            positions += e.Position;
        }

        return (count, versions, positions);
    }

    private static DuckDBConnection OpenDuck()
    {
        var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        return connection;
    }

    private static object?[] Query(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read(), "no row: " + sql);
        var row = new object?[reader.FieldCount];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        }

        return row;
    }
}
