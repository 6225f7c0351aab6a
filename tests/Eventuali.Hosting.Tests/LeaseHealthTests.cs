using Eventuali.Projections;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Eventuali.Hosting.Tests;

/// <summary>A projection lease this node loses shows in the logs and as a degraded lease check; standing by is healthy.</summary>
public sealed class LeaseHealthTests
{
    private static CancellationToken Ct => TestHost.Ct;

    [Fact]
    public async Task A_lost_lease_is_logged_and_degrades_the_lease_check_while_a_leader_is_healthy()
    {
        using var dir = new ScratchDir();
        var logs = new LogSink();
        var builder = TestHost.Builder(new Dictionary<string, string?> { ["Eventuali:Url"] = dir.SqliteUrl() }, logs);
        builder.AddEventuali();
        builder.Services.AddHealthChecks().AddEventualiHealthChecks();
        builder.Services.AddEventualiProjections(_ => [new GatedProjection()], new ProjectionDaemonOptions
        {
            NodeId = "node-1", PollInterval = TimeSpan.FromMilliseconds(20), LeaseRetryInterval = TimeSpan.FromMilliseconds(100),
            Lease = new LeaseOptions { Duration = TimeSpan.FromSeconds(1) },
        });
        var host = builder.Build();
        await using var disposeHost = (IAsyncDisposable)host;
        await host.StartAsync(Ct);
        var daemon = host.Services.GetRequiredService<ProjectionDaemon>();
        await TestHost.WaitUntilAsync(() => Task.FromResult(daemon.IsLeader("orders")), "the daemon took the projection");

        var leading = (await TestHost.CheckAsync(host)).Entries[EventualiHealthChecks.ProjectionLeases];
        Assert.True(leading.Status == HealthStatus.Healthy, leading.Description);
        Assert.Equal("leader (epoch 1)", leading.Data["orders"]);

        // Another node takes the lease (as after this one was paused past it): this node learns it on its next renewal.
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(dir.Path, "events.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE leases SET epoch = epoch + 1, owner = 'node-2', expires_at = 9000000000000000 WHERE name = 'orders'";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        await TestHost.WaitUntilAsync(() => Task.FromResult(logs.Entries.Any(e => e.EventName == "ProjectionLeaseLost")), "the loss was logged");
        var lost = (await TestHost.CheckAsync(host)).Entries[EventualiHealthChecks.ProjectionLeases];
        Assert.True(lost.Status == HealthStatus.Degraded, lost.Description);
        Assert.Contains("orders", lost.Description, StringComparison.Ordinal);
        Assert.Equal("standby", lost.Data["orders"]);
        await TestHost.WaitUntilAsync(() => Task.FromResult(logs.Entries.Any(e => e.EventName == "ProjectionLeaseDenied")), "the denial was logged");
        Assert.Contains(logs.Entries, e => e.EventName == "ProjectionLeaseAcquired" && e.Message.Contains("epoch 1", StringComparison.Ordinal));
        await host.StopAsync(Ct);
    }
}
