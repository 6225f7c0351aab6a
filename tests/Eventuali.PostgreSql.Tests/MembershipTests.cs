using Eventuali.Projections;
using Npgsql;

namespace Eventuali.PostgreSql.Tests;

/// <summary>
/// Membership of a partitioned projection's group: a node whose process died (its connections closed by the server)
/// stops counting at the others' next beat, long before its row expires, so the survivors' shares grow at once.
/// </summary>
public sealed class MembershipTests : IAsyncDisposable
{
    private readonly PostgreSqlStoreFixture _schemas = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_node_whose_connections_are_gone_leaves_the_group_before_its_row_expires()
    {
        var url = await _schemas.OpenUrlAsync("members");
        var app = "members-b-" + Guid.NewGuid().ToString("N")[..8];
        await using var storeA = await PostgreSqlEventStore.OpenAsync(url, EventStoreOptions.Default, Ct);
        await using var storeB = await PostgreSqlEventStore.OpenAsync(url + "&application_name=" + app, EventStoreOptions.Default, Ct);
        var a = storeA.GetFeature<IProjectionMembership>()!;
        var b = storeB.GetFeature<IProjectionMembership>()!;
        var ttl = TimeSpan.FromMinutes(10); // far longer than the test: expiry is not what removes b
        await b.BeatAsync("totals", "node-b", ttl, Ct);
        Assert.Equal(["node-a", "node-b"], await a.BeatAsync("totals", "node-a", ttl, Ct));

        // b's process dies: the server ends its backends (here: terminated, as a closed socket would end them).
        await using (var raw = await PgTestServer.RawAsync())
        await using (var kill = raw.CreateCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1"))
        {
            kill.Parameters.AddWithValue(app);
            Assert.True((long)(await kill.ExecuteScalarAsync(Ct))! >= 1, "b had no backend to end");
        }

        await WaitForAsync(async () => (await a.BeatAsync("totals", "node-a", ttl, Ct)).SequenceEqual(["node-a"]));

        // b beats again (its daemon retries a beat that failed on a broken pooled connection): it counts again.
        await WaitForAsync(async () =>
        {
            try
            {
                await b.BeatAsync("totals", "node-b", ttl, Ct);
                return true;
            }
            catch (EventualiException)
            {
                return false;
            }
        });
        Assert.Equal(["node-a", "node-b"], await a.BeatAsync("totals", "node-a", ttl, Ct));
    }

    public async ValueTask DisposeAsync() => await _schemas.DisposeAsync();

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        // The server ends a terminated backend asynchronously: it leaves pg_stat_activity shortly after.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "node-b still counted 30 s after its backends were ended");
            await Task.Delay(50, Ct);
        }
    }
}
