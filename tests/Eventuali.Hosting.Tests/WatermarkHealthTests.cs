using Eventuali.Projections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace Eventuali.Hosting.Tests;

/// <summary>
/// A stuck watermark on PostgreSQL, made the real way: a transaction left open in the cluster holds the readable head
/// while another node's appends commit above it. The projection is "caught up" with that head the whole time.
/// </summary>
public sealed class WatermarkHealthTests
{
    private static CancellationToken Ct => TestHost.Ct;

    [Fact]
    public async Task A_head_held_by_an_open_transaction_turns_unhealthy_after_the_stall_limit_though_projections_are_caught_up()
    {
        await using var pg = new PgScratch("watermark");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var builder = TestHost.Builder(new Dictionary<string, string?> { ["Eventuali:Url"] = pg.Url, ["Eventuali:HealthChecks:MaxWatermarkStall"] = "00:01:00" });
        builder.AddEventuali(o => o.StoreOptions = new EventStoreOptions { TimeProvider = clock });
        builder.Services.AddHealthChecks().AddEventualiHealthChecks();
        builder.Services.AddEventualiProjections(_ => [new GatedProjection()], new ProjectionDaemonOptions { NodeId = "node-1", PollInterval = TimeSpan.FromMilliseconds(20) });
        var host = builder.Build();
        await using var disposeHost = (IAsyncDisposable)host;
        await host.StartAsync(Ct);
        var daemon = host.Services.GetRequiredService<ProjectionDaemon>();

        // Another node writes: this host's store has no own writes to wait for, as in a real deployment.
        await using var writer = await EventStore.CreateAsync(pg.Url, new EventStoreOptions { TimeProvider = clock }, Ct);
        await writer.AppendAsync("order-1", ExpectedVersion.NoStream, [EventData.Json("placed", "{}")], Ct);
        await TestHost.WaitUntilAsync(async () => (await daemon.GetStatusAsync("orders", Ct)).Position > 0, "the projection applied the first event");
        var before = await TestHost.CheckAsync(host);
        Assert.True(before.Status == HealthStatus.Healthy, HealthCheckTests.Describe(before));

        await using var idle = await pg.DataSource.OpenConnectionAsync(Ct);
        await using var open = await idle.BeginTransactionAsync(Ct);
        await using (var xid = new Npgsql.NpgsqlCommand("SELECT pg_current_xact_id()", idle, open))
        {
            await xid.ExecuteScalarAsync(Ct);
        }

        await writer.AppendAsync("order-2", ExpectedVersion.NoStream, [EventData.Json("placed", "{}")], Ct);
        await writer.AppendAsync("order-3", ExpectedVersion.NoStream, [EventData.Json("placed", "{}")], Ct);

        // Just seen held back: the clock starts, nothing is wrong yet.
        var first = (await TestHost.CheckAsync(host)).Entries[EventualiHealthChecks.Watermark];
        Assert.Equal(HealthStatus.Healthy, first.Status);
        Assert.True((long)first.Data["committedHead"] > (long)first.Data["readableHead"], first.Description);

        clock.Advance(TimeSpan.FromSeconds(61));
        var stuck = await TestHost.CheckAsync(host);
        Assert.Equal(HealthStatus.Unhealthy, stuck.Entries[EventualiHealthChecks.Watermark].Status);
        Assert.Contains("has stayed at", stuck.Entries[EventualiHealthChecks.Watermark].Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, stuck.Entries[EventualiHealthChecks.ProjectionLag].Status);
        var status = await daemon.GetStatusAsync("orders", Ct);
        Assert.True(status.IsCaughtUp, $"the projection is at {status.Position}, the readable head at {status.HeadPosition}");

        await open.RollbackAsync(Ct);
        await TestHost.WaitUntilAsync(
            async () => (await TestHost.CheckAsync(host)).Entries[EventualiHealthChecks.Watermark].Status == HealthStatus.Healthy,
            "the watermark moved once the transaction ended");
        await daemon.WaitForCatchUpAsync("orders", Ct);
        Assert.NotNull(await host.Services.GetRequiredService<IEventStore>().GetProjectionStore().GetProjectionDocumentAsync("orders", "order-3", Ct));
        await host.StopAsync(Ct);
    }
}
