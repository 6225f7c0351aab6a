using Eventuali.Integrity;
using Eventuali.Lifecycle;
using Eventuali.Projections;
using Eventuali.Sagas;
using Eventuali.Snapshots;
using Eventuali.Sqlite;
using Eventuali.Statistics;
using Eventuali.Subscriptions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Eventuali.Hosting.Tests;

public sealed class RegistrationTests
{
    private static CancellationToken Ct => TestHost.Ct;

    [Fact]
    public async Task The_Eventuali_section_opens_a_SQLite_file_and_registers_the_store_with_its_capabilities()
    {
        using var dir = new ScratchDir();
        var logs = new LogSink();
        var builder = TestHost.Builder(new Dictionary<string, string?> { ["Eventuali:Url"] = dir.SqliteUrl() }, logs);
        builder.AddEventuali();
        var host = builder.Build();
        await using var disposeHost = (IAsyncDisposable)host;
        await host.StartAsync(Ct);

        var store = host.Services.GetRequiredService<IEventStore>();
        Assert.IsType<SqliteEventStore>(store);
        Assert.True(File.Exists(Path.Combine(dir.Path, "events.db")));
        Assert.Same(store, host.Services.GetRequiredService<IEventStore>());

        // Every capability resolves as its own service, and it is the store's own (found through GetFeature).
        Assert.Same(store.GetFeature<ICheckpointStore>(), host.Services.GetRequiredService<ICheckpointStore>());
        Assert.Same(store.GetFeature<IProjectionStore>(), host.Services.GetRequiredService<IProjectionStore>());
        Assert.Same(store.GetFeature<ISagaStore>(), host.Services.GetRequiredService<ISagaStore>());
        Assert.Same(store.GetFeature<ISnapshotStore>(), host.Services.GetRequiredService<ISnapshotStore>());
        Assert.Same(store.GetFeature<IStreamLifecycle>(), host.Services.GetRequiredService<IStreamLifecycle>());
        Assert.Same(store.GetFeature<IStoreStatistics>(), host.Services.GetRequiredService<IStoreStatistics>());
        Assert.Same(store.GetFeature<ILogWatermark>(), host.Services.GetRequiredService<ILogWatermark>());
        Assert.Same(store.GetFeature<IAppendNotifications>(), host.Services.GetRequiredService<IAppendNotifications>());
        Assert.Same(store.GetFeature<IEventChainStore>(), host.Services.GetRequiredService<IEventChainStore>());

        var appended = await store.AppendAsync("order-1", ExpectedVersion.NoStream, [EventData.Json("placed", """{"n":1}""")], Ct);
        Assert.Equal(1, (await host.Services.GetRequiredService<IStoreStatistics>().GetStatisticsAsync(Ct)).Events);
        Assert.Equal(appended.LastPosition, await store.GetHeadPositionAsync(Ct));

        await host.StopAsync(Ct);
        var opened = Assert.Single(logs.Entries, e => e.EventName == "StoreOpened");
        Assert.Contains(dir.SqliteUrl(), opened.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_URL_given_in_code_needs_no_configuration()
    {
        var builder = TestHost.Builder(new Dictionary<string, string?>());
        builder.Services.AddEventuali("memory://");
        var host = builder.Build();
        await using var disposeHost = (IAsyncDisposable)host;
        await host.StartAsync(Ct);

        var store = host.Services.GetRequiredService<IEventStore>();
        Assert.IsType<Eventuali.InMemory.InMemoryEventStore>(store);
        Assert.NotNull(host.Services.GetRequiredService<IProjectionStore>());
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task Code_configuration_runs_after_the_section_and_store_options_reach_the_store()
    {
        using var dir = new ScratchDir();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var builder = TestHost.Builder(new Dictionary<string, string?>
        {
            ["Eventuali:Url"] = "memory://",
            ["Eventuali:HealthChecks:MaxProjectionLag"] = "00:00:30",
            ["Eventuali:HealthChecks:MaxDeadLetterGrowth"] = "5",
        });
        builder.AddEventuali(o =>
        {
            o.Url = dir.SqliteUrl("from-code.db");
            o.StoreOptions = new EventStoreOptions { TimeProvider = clock };
        });
        var host = builder.Build();
        await using var disposeHost = (IAsyncDisposable)host;
        await host.StartAsync(Ct);

        var options = host.Services.GetRequiredService<IOptions<EventualiOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(30), options.HealthChecks.MaxProjectionLag);
        Assert.Equal(5, options.HealthChecks.MaxDeadLetterGrowth);
        var store = host.Services.GetRequiredService<IEventStore>();
        Assert.IsType<SqliteEventStore>(store);
        await store.AppendAsync("a-1", ExpectedVersion.NoStream, [EventData.Json("x", "{}")], Ct);
        await foreach (var e in store.ReadStreamAsync("a-1", cancellationToken: Ct))
        {
            Assert.Equal(clock.GetUtcNow(), e.Timestamp);
        }

        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task CreateIfMissing_false_refuses_a_store_that_does_not_exist()
    {
        using var dir = new ScratchDir();
        var builder = TestHost.Builder(new Dictionary<string, string?> { ["Eventuali:Url"] = dir.SqliteUrl("absent.db"), ["Eventuali:CreateIfMissing"] = "false" });
        builder.AddEventuali();
        var host = builder.Build();
        await using var disposeHost = (IAsyncDisposable)host;
        await host.StartAsync(Ct);

        Assert.Throws<EventStoreConfigurationException>(() => host.Services.GetRequiredService<IEventStore>());
        Assert.False(File.Exists(Path.Combine(dir.Path, "absent.db")));
        await host.StopAsync(Ct);
    }
}
