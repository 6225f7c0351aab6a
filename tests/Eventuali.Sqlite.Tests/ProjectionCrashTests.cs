using Eventuali.Conformance;
using Eventuali.Projections;

namespace Eventuali.Sqlite.Tests;

/// <summary>A daemon process killed (SIGKILL) with a batch's transaction open; a restarted daemon ends with every event counted once.</summary>
public sealed class ProjectionCrashTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_daemon_killed_mid_batch_leaves_no_trace_of_the_batch_and_the_next_one_counts_every_event_once()
    {
        await using var temp = new TempSqliteStore();
        await using var store = await SqliteEventStore.OpenAsync(temp.FilePath, EventStoreOptions.Default, Ct);
        for (var i = 1; i <= 40; i++)
        {
            for (var s = 0; s < 3; s++)
            {
                await store.AppendAsync($"acct-{s}", ExpectedVersion.Any, [EventData.Json("deposited", $$"""{"amount":{{i}}}""")], Ct);
            }
        }

        using (var worker = ProjectionWorker.Start(temp.FilePath, holdAfter: 50))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            var line = await worker.StandardOutput.ReadLineAsync(timeout.Token);
            if (line != "holding")
            {
                Assert.Fail($"worker said '{line}': {await worker.StandardError.ReadToEndAsync(Ct)}");
            }

            worker.Kill();
            await worker.WaitForExitAsync(Ct);
        }

        // 7 batches of 7 committed; the 8th was open (and held the write lock) when the process died.
        var crashed = await store.GetProjectionStatusAsync("accounts", Ct);
        Assert.Equal(49, crashed!.Position);
        Assert.Equal("doomed", crashed.Owner);
        Assert.Equal(49, (await CountsAsync(store)).Values.Sum());

        // The writer is not blocked by the dead transaction, and a new daemon takes the projection over.
        await store.AppendAsync("acct-0", ExpectedVersion.Any, [EventData.Json("deposited", """{"amount":1}""")], Ct);
        await using var daemon = new ProjectionDaemon(store, [new CountingProjection()], new ProjectionDaemonOptions { NodeId = "next", PollInterval = TimeSpan.FromMilliseconds(20) });
        await daemon.StartAsync(Ct);
        var status = await daemon.WaitForCatchUpAsync("accounts", Ct);
        Assert.Equal("next", status.Owner);
        var counts = await CountsAsync(store);
        Assert.Equal(41, counts["acct-0"]);
        Assert.Equal(40, counts["acct-1"]);
        Assert.Equal(40, counts["acct-2"]);
    }

    private static async Task<Dictionary<string, int>> CountsAsync(IEventStore store)
    {
        var counts = new Dictionary<string, int>();
        await foreach (var d in store.GetProjectionStore().ReadProjectionDocumentsAsync("accounts", Ct))
        {
            counts[d.Key] = System.Text.Json.Nodes.JsonNode.Parse(d.Json)!["count"]!.GetValue<int>();
        }

        return counts;
    }
}
