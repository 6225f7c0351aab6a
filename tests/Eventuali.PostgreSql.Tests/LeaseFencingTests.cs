using System.Diagnostics;
using Npgsql;
using static Eventuali.PostgreSql.Tests.FailoverKit;

namespace Eventuali.PostgreSql.Tests;

/// <summary>
/// Leases under faults, with daemon processes on one PostgreSQL store: a leader paused (SIGSTOP) past its lease is
/// replaced and its late commit refused by the epoch check; the leader's lease connections terminated by the server.
/// In every case each event is applied exactly once.
/// </summary>
public sealed class LeaseFencingTests : IAsyncLifetime
{
    private readonly PostgreSqlStoreFixture _schemas = new();
    private readonly List<Process> _processes = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_leader_paused_past_its_lease_is_replaced_and_its_late_commit_is_refused_by_the_fence()
    {
        var url = await _schemas.OpenUrlAsync("fence");
        await using var store = await PostgreSqlEventStore.OpenAsync(url, EventStoreOptions.Default, Ct);
        await AppendAsync(store, 0, 100);

        // A stops inside its first batch, before its transaction has written anything.
        var a = Start(url, "node-a", leaseMs: 2000, hold: true);
        await WaitForLineAsync(a, "holding", TimeSpan.FromSeconds(60));
        var b = Start(url, "node-b", leaseMs: 2000);
        await WaitForLineAsync(b, "started", TimeSpan.FromSeconds(60));

        await ProjectionWorker.SignalAsync(a, "STOP");
        var paused = Stopwatch.StartNew();
        await WaitForLineAsync(b, "leader", TimeSpan.FromSeconds(60));
        var takeover = paused.Elapsed;
        Assert.True(takeover < TimeSpan.FromSeconds(10), $"the standby took {takeover.TotalSeconds:F1} s to replace a paused leader with a 2 s lease");
        await CaughtUpAsync(store, "node-b", TimeSpan.FromSeconds(60));

        // A wakes up, finishes its batch and tries to commit it: the epoch check refuses it.
        await ProjectionWorker.SignalAsync(a, "CONT");
        await a.StandardInput.WriteLineAsync("continue".AsMemory(), Ct);
        await a.StandardInput.FlushAsync(Ct);
        await WaitForLineAsync(a, "fenced", TimeSpan.FromSeconds(60));

        await AppendAsync(store, 100, 140);
        await CaughtUpAsync(store, "node-b", TimeSpan.FromSeconds(60));
        var counts = await CountsAsync(store);
        Assert.Equal(4, counts.Count);
        Assert.All(counts.Values, c => Assert.Equal(35, c));
        Assert.True(await LeaseEpochAsync(url) >= 2);
    }

    [Fact]
    public async Task Terminating_the_leaders_lease_connections_never_lets_an_event_apply_twice()
    {
        var url = await _schemas.OpenUrlAsync("terminate");
        await using var store = await PostgreSqlEventStore.OpenAsync(url, EventStoreOptions.Default, Ct);
        await AppendAsync(store, 0, 100);
        var a = Start(url, "node-a", leaseMs: 3000);
        await WaitForLineAsync(a, "leader", TimeSpan.FromSeconds(60));
        var b = Start(url, "node-b", leaseMs: 3000);
        await WaitForLineAsync(b, "started", TimeSpan.FromSeconds(60));
        await CaughtUpAsync(store, "node-a", TimeSpan.FromSeconds(60));

        // The keep-alive connection first: the holder renews on a new one, or the standby takes over at once.
        var writing = AppendAsync(store, 100, 300);
        Assert.True(await TerminateAsync(url, "SELECT holder_pid FROM __SCHEMA__.leases WHERE name = 'accounts'") == 1);
        var epoch = await WaitForLeaseAsync(url, e => e >= 1);

        // Then the work connection of whoever leads now: its batch fails, it gives the lease up, a node takes it again.
        var schema = url[(url.LastIndexOf("schema=", StringComparison.Ordinal) + 7)..];
        await WaitForAsync(async () => await TerminateAsync(url, $"SELECT pid FROM pg_stat_activity WHERE application_name LIKE '%-lease-work' AND strpos(query, '{schema}') > 0") >= 1);
        await writing;
        await WaitForLeaseAsync(url, e => e > epoch);

        var status = await CaughtUpAsync(store, null, TimeSpan.FromSeconds(60));
        Assert.Contains(status.Owner, new[] { "node-a", "node-b" });
        var counts = await CountsAsync(store);
        Assert.Equal(4, counts.Count);
        Assert.All(counts.Values, c => Assert.Equal(75, c));
    }

    private Process Start(string url, string node, int leaseMs, bool hold = false)
    {
        var process = ProjectionWorker.Start(url, node, leaseMs, hold);
        _processes.Add(process);
        return process;
    }

    private static async Task<long> LeaseEpochAsync(string url)
    {
        await using var ds = NpgsqlDataSource.Create(PgUrl.Parse(url).Builder.ConnectionString);
        await using var cmd = ds.CreateCommand(Schema("SELECT epoch FROM __SCHEMA__.leases WHERE name = 'accounts' AND owner IS NOT NULL", url));
        return await cmd.ExecuteScalarAsync(Ct) is long epoch ? epoch : 0;
    }

    private static async Task<long> WaitForLeaseAsync(string url, Func<long, bool> done)
    {
        long epoch = 0;
        await WaitForAsync(async () => done(epoch = await LeaseEpochAsync(url)));
        return epoch;
    }

    /// <summary>Terminates the backends whose pids <paramref name="pidsSql"/> selects; returns how many.</summary>
    private static async Task<int> TerminateAsync(string url, string pidsSql)
    {
        await using var ds = await PgTestServer.RawAsync();
        await using var cmd = ds.CreateCommand($"SELECT count(*) FILTER (WHERE pg_terminate_backend(p)) FROM ({Schema(pidsSql, url)}) AS t(p) WHERE p IS NOT NULL");
        return (int)(long)(await cmd.ExecuteScalarAsync(Ct))!;
    }

    private static string Schema(string sql, string url)
        => sql.Replace("__SCHEMA__", "\"" + url[(url.LastIndexOf("schema=", StringComparison.Ordinal) + 7)..] + "\"", StringComparison.Ordinal);

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the condition did not hold in time");
            await Task.Delay(50, Ct);
        }
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await FailoverKit.StopAllAsync(_processes);
        await _schemas.DisposeAsync();
    }
}
