using System.Text.Json;
using Eventuali.Projections;

namespace Eventuali.Cli.Tests;

/// <summary><c>projections status</c> of a partitioned projection: each partition's row and the node running it.</summary>
public sealed class PartitionStatusTests
{
    private sealed class Split : Projection
    {
        public Split()
            : base("split")
        {
            Partitions = 3;
            On("deposited", async (e, ctx, ct) => await ctx.Documents.PutAsync(e.StreamId, "{}", ct));
        }
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Status_of_a_partitioned_projection_lists_every_partition_with_its_owner()
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("p.db");
        await using var store = await EventStore.CreateAsync(db, EventStoreOptions.Default, Ct);
        for (var i = 0; i < 30; i++)
        {
            await store.AppendAsync($"acct-{i}", ExpectedVersion.Any, [EventData.Json("deposited", "{}")], Ct);
        }

        await using var daemon = new ProjectionDaemon(store, [new Split()], new() { NodeId = "node-x", PollInterval = TimeSpan.FromMilliseconds(20), LeaseRetryInterval = TimeSpan.FromMilliseconds(100) });
        await daemon.StartAsync(Ct);
        await daemon.WaitForCatchUpAsync("split", Ct);

        var text = await CliProcess.RunAsync(dir.Path, "projections", "status", "split", "-d", db);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("split (3 partitions; nodes: node-x (3))", text.Out, StringComparison.Ordinal);
        foreach (var p in new[] { "split#0", "split#1", "split#2" })
        {
            Assert.Contains(p, text.Out, StringComparison.Ordinal);
        }

        var one = await CliProcess.RunAsync(dir.Path, "projections", "status", "split#1", "-d", db);
        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.Contains("owner:        node-x", one.Out, StringComparison.Ordinal);

        var json = await CliProcess.RunAsync(dir.Path, "projections", "status", "split", "-d", db, "--json");
        var rows = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal(3, rows.GetArrayLength());
        Assert.All(rows.EnumerateArray(), r => Assert.Equal("node-x", r.GetProperty("owner").GetString()));

        var bad = await CliProcess.RunAsync(dir.Path, "projections", "status", "split#x", "-d", db);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("split#x", bad.Error, StringComparison.Ordinal);
        await daemon.StopAsync(Ct);
    }
}
