using Eventuali.Statistics;

namespace Eventuali.PostgreSql.Tests;

/// <summary>
/// A transaction left open anywhere in the cluster holds the readable head back: appends after it commit but stay
/// unreadable. <see cref="ILogWatermark"/> shows exactly that, and shows it clear once the transaction ends.
/// </summary>
public sealed class WatermarkHeldBackTests : IAsyncLifetime
{
    private readonly PostgreSqlStoreFixture _stores = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _stores.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_open_transaction_holds_the_readable_head_below_committed_appends_until_it_ends()
    {
        await using var store = await _stores.CreateStoreAsync(purpose: "watermark");
        var before = await store.AppendAsync("order-1", ExpectedVersion.NoStream, [TestEvents.Json("placed")], Ct);
        await WaitUntilReadableAsync(store, before.LastPosition);

        await using var raw = await PgTestServer.RawAsync();
        await using var idle = await raw.OpenConnectionAsync(Ct);
        await using var open = await idle.BeginTransactionAsync(Ct);
        await using (var xid = new Npgsql.NpgsqlCommand("SELECT pg_current_xact_id()", idle, open))
        {
            await xid.ExecuteScalarAsync(Ct); // takes a transaction id, as any writing transaction does
        }

        var after = await store.AppendAsync("order-2", ExpectedVersion.NoStream, [TestEvents.Json("placed")], Ct);
        var held = await store.GetLogWatermarkAsync(Ct);
        Assert.True(held.IsHeldBack, $"watermark {held} after a commit at {after.LastPosition} behind an open transaction");
        Assert.Equal(after.LastPosition, held.CommittedHead);
        Assert.Equal(before.LastPosition, held.ReadableHead);

        await open.RollbackAsync(Ct);
        var cleared = await WaitUntilReadableAsync(store, after.LastPosition);
        Assert.Equal(new LogWatermark(after.LastPosition, after.LastPosition), cleared);
    }

    private static async Task<LogWatermark> WaitUntilReadableAsync(PostgreSqlEventStore store, long position)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var watermark = await store.GetLogWatermarkAsync(Ct);
        while (watermark.ReadableHead < position && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, Ct);
            watermark = await store.GetLogWatermarkAsync(Ct);
        }

        return watermark;
    }
}
