using Eventuali.Conformance;
using Eventuali.Projections;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite.Tests;

/// <summary>SQLite specifics of projections: the handed-out transaction, and leases across store instances on one file.</summary>
public sealed class SqliteProjectionBackendTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Writes a row of its own per event through the batch's transaction, then throws on a poison event.</summary>
    private sealed class OwnTable : Projection
    {
        public OwnTable()
            : base("own-table")
        {
            FailurePolicy = new ProjectionFailurePolicy { MaxAttempts = 2, InitialBackoff = TimeSpan.FromMilliseconds(1) };
            On("deposited", (e, ctx, ct) =>
            {
                var sqlite = ctx.GetSqlite();
                Assert.NotNull(sqlite.Transaction);
                using var insert = sqlite.CreateCommand();
                insert.CommandText = "INSERT INTO seen (position) VALUES ($p)";
                insert.Parameters.AddWithValue("$p", e.Position);
                insert.ExecuteNonQuery();
                if (System.Text.Encoding.UTF8.GetString(e.Data.Span).Contains("poison", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException("poison");
                }

                return ValueTask.CompletedTask;
            });
        }
    }

    [Fact]
    public async Task Own_table_writes_commit_with_the_batch_and_roll_back_with_a_failed_event()
    {
        await using var temp = new TempSqliteStore();
        await using var store = await SqliteEventStore.OpenAsync(temp.FilePath, EventStoreOptions.Default, Ct);
        using (var connection = new SqliteConnection($"Data Source={temp.FilePath};Pooling=False"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE seen (position INTEGER NOT NULL)";
            create.ExecuteNonQuery();
        }

        for (var i = 0; i < 10; i++)
        {
            await store.AppendAsync("acct-1", ExpectedVersion.Any, [EventData.Json("deposited", i == 4 ? """{"poison":true}""" : "{}")], Ct);
        }

        await using var daemon = new ProjectionDaemon(store, [new OwnTable()], new ProjectionDaemonOptions { PollInterval = TimeSpan.FromMilliseconds(20) });
        await daemon.StartAsync(Ct);
        var status = await daemon.WaitForCatchUpAsync("own-table", Ct);
        Assert.Equal(1, status.DeadLetters);

        using var check = new SqliteConnection($"Data Source={temp.FilePath};Pooling=False");
        check.Open();
        using var rows = check.CreateCommand();
        rows.CommandText = "SELECT count(*), count(DISTINCT position), sum(position = 5) FROM seen";
        using var reader = rows.ExecuteReader();
        reader.Read();
        Assert.Equal(9, reader.GetInt64(0)); // the poison event's own write went with its rolled-back attempts
        Assert.Equal(9, reader.GetInt64(1));
        Assert.Equal(0, reader.GetInt64(2));
    }

    [Fact]
    public async Task Two_store_instances_on_one_file_share_one_lease_per_projection()
    {
        await using var temp = new TempSqliteStore();
        await using var a = await SqliteEventStore.OpenAsync(temp.FilePath, EventStoreOptions.Default, Ct);
        await using var b = await SqliteEventStore.OpenAsync(temp.FilePath, EventStoreOptions.Default, Ct);
        var lease = await a.GetProjectionStore().TryAcquireProjectionAsync("shared", "a", Ct);
        Assert.NotNull(lease);
        Assert.Null(await b.GetProjectionStore().TryAcquireProjectionAsync("shared", "b", Ct));
        await lease.DisposeAsync();
        var taken = await b.GetProjectionStore().TryAcquireProjectionAsync("shared", "b", Ct);
        Assert.NotNull(taken);
        Assert.Equal("b", (await a.GetProjectionStatusAsync("shared", Ct))!.Owner);
        await taken.DisposeAsync();
    }

    [Fact]
    public async Task Async_projections_on_a_memory_database_are_refused_with_a_reason()
    {
        await using var store = await SqliteEventStore.OpenAsync(":memory:", EventStoreOptions.Default, Ct);
        var error = await Assert.ThrowsAsync<NotSupportedException>(async () => await store.GetProjectionStore().TryAcquireProjectionAsync("x", "a", Ct));
        Assert.Contains("database file", error.Message, StringComparison.Ordinal);
    }
}
