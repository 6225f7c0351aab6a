using Eventuali.Lifecycle;
using Npgsql;

namespace Eventuali.PostgreSql.Tests;

/// <summary>
/// A delete and an append interleaved the hard way, on purpose: the append looks the stream up before the delete
/// commits and inserts after it; or the append's transaction is open when the delete starts.
/// </summary>
public sealed class LifecycleRaceTests : IAsyncLifetime
{
    private readonly PostgreSqlStoreFixture _stores = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _stores.DisposeAsync();

    [Theory]
    [InlineData(2, true)]
    [InlineData(0, false)]
    public async Task An_append_that_looked_up_before_a_delete_committed_decides_again_after_it(int newState, bool refused)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await _stores.CreateStoreAsync(purpose: "lcrace");
        await store.AppendAsync("s", ExpectedVersion.NoStream, [TestEvents.Json("a"), TestEvents.Json("b"), TestEvents.Json("c")], ct);

        // What a delete does, held open: lock out inserts, change the row, remove the events.
        await using var raw = await PgTestServer.RawAsync();
        await using var conn = await raw.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var q = $"\"{store.Schema}\"";
        await ExecAsync(conn, $"LOCK TABLE {q}.events IN SHARE MODE", ct);
        await ExecAsync(conn, $"UPDATE {q}.streams SET state = {newState}, truncated_before = 1, epoch = epoch + 1 WHERE name = 's'", ct);
        await ExecAsync(conn, $"DELETE FROM {q}.events WHERE stream_id = (SELECT id FROM {q}.streams WHERE name = 's')", ct);

        // The append sees the old row (state 0, version 3), then waits for the lock to insert.
        var append = store.AppendAsync("s", ExpectedVersion.Any, [TestEvents.Json("late")], ct).AsTask();
        await LockWaits.UntilBlockedByAsync(conn, append, "the append");
        await tx.CommitAsync(ct);

        if (refused)
        {
            var ex = await Assert.ThrowsAsync<StreamDeletedException>(() => append);
            Assert.True(ex.IsTombstoned);
            Assert.Null(await store.GetStreamVersionAsync("s", ct));
        }
        else
        {
            Assert.Equal(1, (await append).StreamVersion);
            Assert.Equal(1, await store.GetStreamVersionAsync("s", ct));
        }

        var inLog = new List<RecordedEvent>();
        await foreach (var e in store.ReadAllAsync(cancellationToken: ct))
        {
            inLog.Add(e);
        }

        Assert.Equal(refused ? [] : ["late"], inLog.Select(e => e.EventType));
    }

    [Fact]
    public async Task A_hard_delete_waits_for_an_open_append_transaction_and_removes_its_events_too()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await _stores.CreateStoreAsync(purpose: "lcwait");
        await store.AppendAsync("s", ExpectedVersion.NoStream, [TestEvents.Json("a")], ct);

        await using var raw = await PgTestServer.RawAsync();
        await using var conn = await raw.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var (status, _) = await TestEvents.AppendRawAsync(conn, store.Schema, "s", Guid.NewGuid());
        Assert.Equal(0, status);

        var delete = store.DeleteStreamAsync("s", DeleteMode.Tombstone, ct).AsTask();
        await LockWaits.UntilBlockedByAsync(conn, delete, "the delete");
        await tx.CommitAsync(ct);
        Assert.True(await delete);

        Assert.Null(await store.GetStreamVersionAsync("s", ct));
        await foreach (var e in store.ReadAllAsync(cancellationToken: ct))
        {
            Assert.Fail($"Event {e.EventId} of stream {e.StreamId} survived the delete.");
        }
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
