using Eventuali.Projections;
using static Eventuali.Conformance.ProjectionTestData;

namespace Eventuali.Conformance;

/// <summary>
/// A partitioned projection on a backend: every stream's events applied once and in order by one partition, a position
/// per partition, partitions shared between the daemons of live nodes (where the store keeps membership), and a
/// stopped node's partitions taken over by the others.
/// </summary>
public abstract class PartitionConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    [Fact]
    public async Task Partitions_are_shared_between_live_nodes_and_every_event_is_applied_once()
    {
        await using var store = await NewStoreAsync();
        await FillAsync(store, streams: 12, perStream: 5);
        var shared = store.GetFeature<IProjectionMembership>() is not null;
        await using var a = new ProjectionDaemon(store, [new CountingProjection(partitions: 4)], FastOptions(node: "node-a"));
        await using var b = new ProjectionDaemon(store, [new CountingProjection(partitions: 4)], FastOptions(node: "node-b"));
        await a.StartAsync(Ct);
        await CatchUpAsync(a);
        Assert.Equal([0, 1, 2, 3], a.LeadPartitions("accounts"));

        // A second node joins: the first gives up partitions until each holds its share.
        await b.StartAsync(Ct);
        if (shared)
        {
            await WaitUntilAsync(() => a.LeadPartitions("accounts").Count == 2 && b.LeadPartitions("accounts").Count == 2, "the partitions were shared 2 and 2");
        }

        await FillAsync(store, streams: 12, perStream: 5);
        await CatchUpAsync(a);
        var model = await ReadModelAsync(store, "accounts");
        Assert.Equal(12, model.Count);
        Assert.All(model.Values, v => Assert.Equal((10, 30), v));

        // Each partition has its own row: position, owner, and only its own streams applied.
        var rows = (await store.GetProjectionStore().ListProjectionsAsync(Ct)).Where(r => r.Name.StartsWith("accounts#", StringComparison.Ordinal)).ToList();
        Assert.Equal(["accounts#0", "accounts#1", "accounts#2", "accounts#3"], rows.Select(r => r.Name));
        if (shared)
        {
            Assert.Equal(2, rows.Count(r => r.Owner == "node-b"));
        }

        // The node stops: the other takes its partitions and applies what comes next.
        await a.StopAsync(Ct);
        await WaitUntilAsync(() => b.LeadPartitions("accounts").Count == 4, "the remaining node took every partition");
        await FillAsync(store, streams: 12, perStream: 1);
        await CatchUpAsync(b);
        Assert.All((await ReadModelAsync(store, "accounts")).Values, v => Assert.Equal((11, 31), v));
    }

    [Fact]
    public void A_stream_always_hashes_to_the_same_partition()
    {
        // FNV-1a 32 of the UTF-8 bytes: fixed values, so nodes of any version agree.
        Assert.Equal(0xE40C292Cu % 7, (uint)ProjectionPartitions.Of("a", 7));
        Assert.Equal(ProjectionPartitions.Of("order-42", 16), ProjectionPartitions.Of("order-42", 16));
        Assert.Equal("accounts#3", ProjectionPartitions.Name("accounts", 3));
        Assert.Equal("accounts", ProjectionPartitions.ProjectionOf("accounts#3"));
        Assert.Equal(3, ProjectionPartitions.PartitionOf("accounts#3"));
        Assert.Throws<ArgumentException>(() => ProjectionPartitions.ValidateLeaseName("accounts#x"));
        var counts = new int[8];
        for (var i = 0; i < 8000; i++)
        {
            counts[ProjectionPartitions.Of($"stream-{i}", 8)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 800, 1200));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"timed out waiting: {what}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
