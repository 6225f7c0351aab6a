using Eventuali.Projections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Eventuali.Hosting.Tests;

/// <summary>The health checks over a real SQLite file in a real host.</summary>
public sealed class HealthCheckTests
{
    private static CancellationToken Ct => TestHost.Ct;

    private static IHost Build(ScratchDir dir, Action<IServiceCollection> services, FakeTimeProvider? clock = null, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?> { ["Eventuali:Url"] = dir.SqliteUrl() };
        foreach (var (k, v) in extra ?? [])
        {
            settings[k] = v;
        }

        var builder = TestHost.Builder(settings);
        builder.AddEventuali(o => o.StoreOptions = clock is null ? null : new EventStoreOptions { TimeProvider = clock });
        builder.Services.AddHealthChecks().AddEventualiHealthChecks();
        services(builder.Services);
        return builder.Build();
    }

    private static ProjectionDaemonOptions Fast => new() { NodeId = "node-1", PollInterval = TimeSpan.FromMilliseconds(20) };

    [Fact]
    public async Task A_fresh_store_with_a_caught_up_projection_is_healthy_and_the_tags_split_liveness_from_readiness()
    {
        using var dir = new ScratchDir();
        var host = Build(dir, s => s.AddEventualiProjections(_ => [new GatedProjection()], Fast));
        await using var disposeHost = (IAsyncDisposable)host;
        await host.StartAsync(Ct);
        var store = host.Services.GetRequiredService<IEventStore>();
        await store.AppendAsync("order-1", ExpectedVersion.NoStream, [EventData.Json("placed", "{}")], Ct);
        await host.Services.GetRequiredService<ProjectionDaemon>().WaitForCatchUpAsync("orders", Ct);

        var all = await TestHost.CheckAsync(host);
        Assert.True(all.Status == HealthStatus.Healthy, Describe(all));
        Assert.Equal(
            [EventualiHealthChecks.DeadLetters, EventualiHealthChecks.HostedServices, EventualiHealthChecks.Migrations, EventualiHealthChecks.ProjectionLag, EventualiHealthChecks.ProjectionLeases, EventualiHealthChecks.RelayLag, EventualiHealthChecks.Store, EventualiHealthChecks.Watermark],
            all.Entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([EventualiHealthChecks.HostedServices], (await TestHost.CheckAsync(host, EventualiHealthChecks.LiveTag)).Entries.Keys);
        Assert.Equal(7, (await TestHost.CheckAsync(host, EventualiHealthChecks.ReadyTag)).Entries.Count);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task A_projection_behind_by_more_than_the_threshold_is_unhealthy_until_it_catches_up()
    {
        using var dir = new ScratchDir();
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var host = Build(dir, s => s.AddEventualiProjections(_ => [new GatedProjection(gate)], Fast), clock, new() { ["Eventuali:HealthChecks:MaxProjectionLag"] = "00:01:00" });
        await using var disposeHost = (IAsyncDisposable)host;
        await host.StartAsync(Ct);
        var store = host.Services.GetRequiredService<IEventStore>();
        var daemon = host.Services.GetRequiredService<ProjectionDaemon>();
        await TestHost.WaitUntilAsync(async () => await store.GetProjectionStatusAsync("orders", Ct) is not null, "the daemon took the projection");
        await store.AppendAsync("order-1", ExpectedVersion.NoStream, [EventData.Json("placed", "{}")], Ct);

        // The event is a second old by the store's clock: within the threshold.
        clock.Advance(TimeSpan.FromSeconds(1));
        var early = (await TestHost.CheckAsync(host)).Entries[EventualiHealthChecks.ProjectionLag];
        Assert.True(early.Status == HealthStatus.Healthy, early.Description);

        clock.Advance(TimeSpan.FromMinutes(2));
        var late = (await TestHost.CheckAsync(host)).Entries[EventualiHealthChecks.ProjectionLag];
        Assert.True(late.Status == HealthStatus.Unhealthy, late.Description);
        Assert.Contains("'orders' is 121 s behind", late.Description, StringComparison.Ordinal);

        gate.SetResult();
        await daemon.WaitForCatchUpAsync("orders", Ct);
        Assert.Equal(HealthStatus.Healthy, (await TestHost.CheckAsync(host)).Entries[EventualiHealthChecks.ProjectionLag].Status);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task New_dead_letters_are_unhealthy_once_and_old_ones_are_not()
    {
        using var dir = new ScratchDir();
        var host = Build(dir, s => s.AddEventualiProjections(_ => [new PoisonProjection()], Fast));
        await using var disposeHost = (IAsyncDisposable)host;
        await host.StartAsync(Ct);
        var store = host.Services.GetRequiredService<IEventStore>();
        var daemon = host.Services.GetRequiredService<ProjectionDaemon>();
        await store.AppendAsync("order-1", ExpectedVersion.NoStream, [EventData.Json("placed", "{}")], Ct);
        await daemon.WaitForCatchUpAsync("poison-sensitive", Ct);
        Assert.Equal(HealthStatus.Healthy, (await TestHost.CheckAsync(host)).Entries[EventualiHealthChecks.DeadLetters].Status);

        await store.AppendAsync("order-1", ExpectedVersion.Exact(1), [EventData.Json("poison", "{}")], Ct);
        await daemon.WaitForCatchUpAsync("poison-sensitive", Ct);
        Assert.Equal(1, (await daemon.GetStatusAsync("poison-sensitive", Ct)).DeadLetters);

        var grown = (await TestHost.CheckAsync(host)).Entries[EventualiHealthChecks.DeadLetters];
        Assert.Equal(HealthStatus.Unhealthy, grown.Status);
        Assert.Contains("'poison-sensitive' from 0 to 1", grown.Description, StringComparison.Ordinal);

        // Parked and known: no growth since the last run.
        Assert.Equal(HealthStatus.Healthy, (await TestHost.CheckAsync(host)).Entries[EventualiHealthChecks.DeadLetters].Status);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task On_SQLite_every_commit_is_readable_so_the_watermark_never_stalls()
    {
        using var dir = new ScratchDir();
        var clock = new FakeTimeProvider();
        var host = Build(dir, _ => { }, clock, new() { ["Eventuali:HealthChecks:MaxWatermarkStall"] = "00:00:01" });
        await using var disposeHost = (IAsyncDisposable)host;
        await host.StartAsync(Ct);
        var store = host.Services.GetRequiredService<IEventStore>();
        for (var i = 0; i < 3; i++)
        {
            await store.AppendAsync($"order-{i}", ExpectedVersion.NoStream, [EventData.Json("placed", "{}")], Ct);
            clock.Advance(TimeSpan.FromMinutes(5));
            var watermark = (await TestHost.CheckAsync(host)).Entries[EventualiHealthChecks.Watermark];
            Assert.Equal(HealthStatus.Healthy, watermark.Status);
            Assert.Equal(watermark.Data["readableHead"], watermark.Data["committedHead"]);
        }

        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task A_store_with_pending_migrations_is_not_ready()
    {
        using var dir = new ScratchDir();
        var migrator = await Eventuali.Migrations.SchemaMigrator.ForUrlAsync(dir.SqliteUrl(), cancellationToken: Ct);
        await using (migrator)
        {
            await migrator.UpAsync(1, Ct);
        }

        // Opened without applying the rest, as a node does that finds an older schema it may not upgrade.
        var host = Build(dir, _ => { });
        await using var disposeHost = (IAsyncDisposable)host;
        var check = await CheckMigrationsOnlyAsync(host);
        Assert.Equal(HealthStatus.Unhealthy, check.Status);
        Assert.Contains("pending", check.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("memory://")]
    [InlineData("sqlite://:memory:")]
    public async Task In_memory_stores_are_ready(string url)
    {
        var builder = TestHost.Builder(new Dictionary<string, string?> { ["Eventuali:Url"] = url });
        builder.AddEventuali();
        builder.Services.AddHealthChecks().AddEventualiHealthChecks();
        var host = builder.Build();
        await using var disposeHost = (IAsyncDisposable)host;
        await host.StartAsync(Ct);
        await host.Services.GetRequiredService<IEventStore>().AppendAsync("order-1", ExpectedVersion.NoStream, [EventData.Json("placed", "{}")], Ct);

        var ready = await TestHost.CheckAsync(host, EventualiHealthChecks.ReadyTag);
        Assert.True(ready.Status == HealthStatus.Healthy, Describe(ready));
        await host.StopAsync(Ct);
    }

    private static async Task<HealthReportEntry> CheckMigrationsOnlyAsync(IHost host)
    {
        var health = host.Services.GetRequiredService<HealthCheckService>();
        var report = await health.CheckHealthAsync(r => r.Name == EventualiHealthChecks.Migrations, Ct);
        return report.Entries[EventualiHealthChecks.Migrations];
    }

    internal static string Describe(HealthReport report)
        => string.Join("; ", report.Entries.Select(e => $"{e.Key}={e.Value.Status}: {e.Value.Description}"));
}
