using Eventuali.Conformance;
using Eventuali.Projections;

namespace Eventuali.Sqlite.Tests;

/// <summary>A starting node takes its share of the partitions and no more, although all its partitions try their leases at once.</summary>
public sealed class PartitionShareTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_node_starting_beside_a_live_member_never_holds_more_than_its_share()
    {
        await using var temp = new TempSqliteStore();
        var store = await temp.OpenAsync();
        var membership = store.GetFeature<IProjectionMembership>()!;
        // Another node is alive in the group (it holds no partition), so this node's share of 8 is 4.
        await membership.BeatAsync("shared", "node-b", TimeSpan.FromMinutes(5), Ct);

        var held = 0;
        var most = 0;
        var options = new ProjectionDaemonOptions { NodeId = "node-a", PollInterval = TimeSpan.FromMilliseconds(20), LeaseRetryInterval = TimeSpan.FromMilliseconds(100) };
        await using var daemon = new ProjectionDaemon(store, [new CountingProjection("shared", partitions: 8)], options);
        daemon.LeaseChanged += (_, change) =>
        {
            var now = change.Change switch
            {
                ProjectionLeaseChange.Acquired => Interlocked.Increment(ref held),
                ProjectionLeaseChange.Released or ProjectionLeaseChange.Lost => Interlocked.Decrement(ref held),
                _ => Volatile.Read(ref held),
            };
            InterlockedMax(ref most, now);
        };
        await daemon.StartAsync(Ct);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (daemon.LeadPartitions("shared").Count < 4)
        {
            Assert.True(DateTime.UtcNow < deadline, $"node-a leads {daemon.LeadPartitions("shared").Count} partitions after 30 s, expected 4.");
            await Task.Delay(20, Ct);
        }

        // All eight runners tried at start; the four beyond the share were held back rather than taken and handed back.
        Assert.Equal(4, daemon.LeadPartitions("shared").Count);
        Assert.Equal(4, Volatile.Read(ref most));
        await daemon.StopAsync(Ct);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }
}
