using Eventuali.Subscriptions;

namespace Eventuali.Conformance;

/// <summary>Named checkpoints (<see cref="ICheckpointStore"/>): load, save, rewind, argument checks, persistence.</summary>
public abstract class CheckpointConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    [Fact]
    public async Task Checkpoints_are_null_until_saved_then_hold_the_last_saved_value()
    {
        await using var store = await NewStoreAsync();
        var checkpoints = store.GetCheckpointStore();
        Assert.Null(await checkpoints.LoadCheckpointAsync("projection-a", Ct));
        await checkpoints.SaveCheckpointAsync("projection-a", 42, Ct);
        await checkpoints.SaveCheckpointAsync("projection-b", 7, Ct);
        Assert.Equal(42, await checkpoints.LoadCheckpointAsync("projection-a", Ct));
        await checkpoints.SaveCheckpointAsync("projection-a", 43, Ct);
        Assert.Equal(43, await checkpoints.LoadCheckpointAsync("projection-a", Ct));
        await checkpoints.SaveCheckpointAsync("projection-a", 10, Ct); // rewinding is allowed (replay)
        Assert.Equal(10, await checkpoints.LoadCheckpointAsync("projection-a", Ct));
        Assert.Equal(7, await checkpoints.LoadCheckpointAsync("projection-b", Ct));
        Assert.Null(await checkpoints.LoadCheckpointAsync("Projection-A", Ct));
    }

    [Fact]
    public async Task Checkpoint_arguments_are_checked()
    {
        await using var store = await NewStoreAsync();
        var checkpoints = store.GetCheckpointStore();
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await checkpoints.SaveCheckpointAsync("", 1, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await checkpoints.LoadCheckpointAsync(" ", Ct));
        var negative = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await checkpoints.SaveCheckpointAsync("p", -1, Ct));
        Assert.Contains("'p'", negative.Message, StringComparison.Ordinal);
        Assert.Null(await checkpoints.LoadCheckpointAsync("p", Ct));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.SubscribeToAllAsync(-1));
        Assert.ThrowsAny<ArgumentException>(() => store.SubscribeToStreamAsync(""));
    }

    [Fact]
    public async Task Checkpoints_survive_reopening_the_store()
    {
        Assert.SkipUnless(Fixture.Persists, $"{Fixture.BackendName} does not persist");
        var store = await NewStoreAsync();
        await store.GetCheckpointStore().SaveCheckpointAsync("durable", 1234, Ct);
        store = await Fixture.ReopenAsync(store, Ct);
        await using (store)
        {
            Assert.Equal(1234, await store.GetCheckpointStore().LoadCheckpointAsync("durable", Ct));
        }
    }

    [Fact]
    public async Task Concurrent_saves_while_appending_all_land()
    {
        await using var store = await NewStoreAsync();
        var checkpoints = store.GetCheckpointStore();
        var savers = Enumerable.Range(0, 4).Select(n => Task.Run(async () =>
        {
            for (var i = 1; i <= 25; i++)
            {
                await checkpoints.SaveCheckpointAsync($"saver-{n}", i * 10, Ct);
            }
        }, Ct));
        var appender = Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await store.AppendEventsAsync("busy", ExpectedVersion.Any, TestData.Many(2));
            }
        }, Ct);
        await Task.WhenAll([.. savers, appender]);
        for (var n = 0; n < 4; n++)
        {
            Assert.Equal(250, await checkpoints.LoadCheckpointAsync($"saver-{n}", Ct));
        }

        Assert.Equal(50, (await store.ReadStreamListAsync("busy")).Count);
    }
}
