using System.Diagnostics;
using System.Text.Json.Nodes;
using Eventuali.Projections;

namespace Eventuali.PostgreSql.Tests;

/// <summary>Two daemon processes on one PostgreSQL store: one leads; when it is killed (SIGKILL) the other takes over within seconds.</summary>
public sealed class ProjectionFailoverTests : IAsyncLifetime
{
    private readonly PostgreSqlStoreFixture _schemas = new();
    private readonly List<Process> _processes = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_standby_takes_over_within_seconds_when_the_leader_process_is_killed()
    {
        var url = await _schemas.OpenUrlAsync("failover");
        await using var store = await PostgreSqlEventStore.OpenAsync(url, EventStoreOptions.Default, Ct);
        await AppendAsync(store, 0, 100);

        var a = Start(url, "node-a");
        await WaitForLineAsync(a, "leader", TimeSpan.FromSeconds(60));
        var b = Start(url, "node-b");
        await WaitForLineAsync(b, "started", TimeSpan.FromSeconds(60));
        await WaitAsync(store, s => s.Owner == "node-a" && s.Position >= 0, TimeSpan.FromSeconds(30));

        // B stays a standby while A lives.
        await Task.Delay(1500, Ct);
        Assert.Equal("node-a", (await store.GetProjectionStatusAsync("accounts", Ct))!.Owner);

        // Kill the leader while events keep coming, so it may die in the middle of a batch.
        var writing = AppendAsync(store, 100, 200);
        await Task.Delay(100, Ct);
        a.Kill();
        var killed = Stopwatch.StartNew();
        await a.WaitForExitAsync(Ct);
        await WaitForLineAsync(b, "leader", TimeSpan.FromSeconds(60));
        var takeover = killed.Elapsed;

        // The lease dies with the killed process's connection; a takeover that waited for the server to notice a dead
        // peer (TCP keepalive) would take minutes. 30 s separates that from a slow, busy machine.
        Assert.True(takeover < TimeSpan.FromSeconds(30), $"the standby took {takeover.TotalSeconds:F1} s to take over");
        await writing;

        var head = await store.GetHeadPositionAsync(Ct);
        var status = await WaitAsync(store, s => s.Owner == "node-b" && s.State == ProjectionState.Running && s.Position >= head, TimeSpan.FromSeconds(60));
        Assert.Equal("node-b", status.Owner);

        // Every deposit counted exactly once although the leader died mid-run.
        var counts = new Dictionary<string, int>();
        await foreach (var d in store.GetProjectionStore().ReadProjectionDocumentsAsync("accounts", Ct))
        {
            counts[d.Key] = JsonNode.Parse(d.Json)!["count"]!.GetValue<int>();
        }

        Assert.Equal(4, counts.Count);
        Assert.All(counts.Values, c => Assert.Equal(50, c));
    }

    private static async Task AppendAsync(IEventStore store, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            await store.AppendAsync($"acct-{i % 4}", ExpectedVersion.Any, [EventData.Json("deposited", """{"amount":1}""")], Ct);
        }
    }

    private Process Start(string url, string node)
    {
        var process = ProjectionWorker.Start(url, node);
        _processes.Add(process);
        return process;
    }

    private static async Task WaitForLineAsync(Process process, string expected, TimeSpan timeout)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(timeout);
        while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
        {
            if (line == expected)
            {
                return;
            }
        }

        throw new InvalidOperationException($"the worker exited before printing '{expected}': {await process.StandardError.ReadToEndAsync(Ct)}");
    }

    private static async Task<ProjectionStatus> WaitAsync(IEventStore store, Func<ProjectionStatus, bool> done, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await store.GetProjectionStatusAsync("accounts", Ct) is { } status && done(status))
            {
                return status;
            }

            Assert.True(clock.Elapsed < timeout, "the projection did not reach the expected state in time");
            await Task.Delay(50, Ct);
        }
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _processes)
        {
            if (!p.HasExited)
            {
                p.Kill();
                await p.WaitForExitAsync();
            }

            p.Dispose();
        }

        await _schemas.DisposeAsync();
    }
}
