using System.Diagnostics;
using Eventuali.Projections;
using static Eventuali.PostgreSql.Tests.FailoverKit;

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

        // The lease is free once the killed process's keep-alive backend is gone, and at the latest when it expires
        // (the default 8 s): within the 10 s the lease promises, also on a slow, busy machine.
        Assert.True(takeover < TimeSpan.FromSeconds(10), $"the standby took {takeover.TotalSeconds:F1} s to take over");
        await writing;

        var head = await store.GetHeadPositionAsync(Ct);
        var status = await WaitAsync(store, s => s.Owner == "node-b" && s.State == ProjectionState.Running && s.Position >= head, TimeSpan.FromSeconds(60));
        Assert.Equal("node-b", status.Owner);

        // Every deposit counted exactly once although the leader died mid-run.
        var counts = await CountsAsync(store);

        Assert.Equal(4, counts.Count);
        Assert.All(counts.Values, c => Assert.Equal(50, c));
    }

    private Process Start(string url, string node)
    {
        var process = ProjectionWorker.Start(url, node);
        _processes.Add(process);
        return process;
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await FailoverKit.StopAllAsync(_processes);
        await _schemas.DisposeAsync();
    }
}
