using System.Collections.Concurrent;
using Eventuali.Projections;
using Eventuali.Sagas;
using Eventuali.Subscriptions;
using Eventuali.Typed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Eventuali.Hosting.Tests;

/// <summary>The projection daemon, a saga runner and subscriptions start and stop with a real host.</summary>
public sealed class HostedServiceTests
{
    private static CancellationToken Ct => TestHost.Ct;

    private sealed class Shipment
    {
        public bool Requested { get; set; }
    }

    private static SagaDefinition<Shipment> ShippingSaga() => new SagaDefinition<Shipment>("shipping")
        .StartedBy<OrderPlaced>(e => e.OrderId, (ctx, e) =>
        {
            ctx.State.Requested = true;
            ctx.Append("shipment-" + e.OrderId, ExpectedVersion.NoStream, new ShipmentRequested(e.OrderId));
        });

    [Fact]
    public async Task Every_service_runs_while_the_host_runs_and_stops_gracefully_with_it()
    {
        using var dir = new ScratchDir();
        var logs = new LogSink();
        var seen = new ConcurrentQueue<long>();
        var builder = TestHost.Builder(new Dictionary<string, string?> { ["Eventuali:Url"] = dir.SqliteUrl() }, logs);
        builder.AddEventuali(o => o.StoreOptions = new EventStoreOptions { Types = new EventTypeRegistry().Register<OrderPlaced>().Register<ShipmentRequested>() });
        builder.Services.AddHealthChecks().AddEventualiHealthChecks();
        builder.Services.AddEventualiProjections(_ => [new GatedProjection()], new ProjectionDaemonOptions { NodeId = "node-1", PollInterval = TimeSpan.FromMilliseconds(20) });
        builder.Services.AddEventualiSaga(_ => ShippingSaga());
        builder.Services.AddEventualiSubscription(
            new SubscriptionOptions { Name = "audit", CheckpointEvery = 1 },
            _ => (e, _) =>
            {
                seen.Enqueue(e.Position);
                return ValueTask.CompletedTask;
            });

        var host = builder.Build();
        await using ((IAsyncDisposable)host)
        {
            await host.StartAsync(Ct);
            var store = host.Services.GetRequiredService<IEventStore>();
            await store.AppendAsync("order-1", ExpectedVersion.NoStream, [store.Options.Types.ToEventData(new OrderPlaced("1"))], Ct);

            await TestHost.WaitUntilAsync(async () => await store.GetStreamVersionAsync("shipment-1", Ct) == 1, "the saga requested the shipment");
            await TestHost.WaitUntilAsync(() => Task.FromResult(seen.Count == 2), "the subscription saw both events");
            await host.Services.GetRequiredService<ProjectionDaemon>().WaitForCatchUpAsync("orders", Ct);

            var states = host.Services.GetRequiredService<EventualiServiceStates>().All;
            Assert.Equal(["projection daemon", "saga runner 'shipping'", "subscription 'audit'"], states.Select(s => s.Service));
            Assert.All(states, s => Assert.Equal(EventualiServiceState.Running, s.State));
            Assert.Equal(HealthStatus.Healthy, (await TestHost.CheckAsync(host, EventualiHealthChecks.LiveTag)).Status);

            await host.StopAsync(Ct);
            Assert.All(host.Services.GetRequiredService<EventualiServiceStates>().All, s => Assert.Equal(EventualiServiceState.Stopped, s.State));
            Assert.Equal(ProjectionState.Stopped, (await store.GetProjectionStatusAsync("orders", Ct))!.State);
            Assert.Equal(seen.Max(), await store.GetCheckpointStore().LoadCheckpointAsync("audit", Ct));
        }

        Assert.Equal(3, logs.Entries.Count(e => e.EventName == "ServiceStarted"));
        Assert.Equal(3, logs.Entries.Count(e => e.EventName == "ServiceStopped"));
        Assert.DoesNotContain(logs.Entries, e => e.EventName == "ServiceFaulted");
    }

    [Fact]
    public async Task A_failing_subscription_is_logged_and_turns_liveness_unhealthy_while_readiness_stays_healthy()
    {
        using var dir = new ScratchDir();
        var logs = new LogSink();
        var builder = TestHost.Builder(new Dictionary<string, string?> { ["Eventuali:Url"] = dir.SqliteUrl() }, logs);
        builder.AddEventuali();
        builder.Services.AddHealthChecks().AddEventualiHealthChecks();
        builder.Services.AddEventualiSubscription(
            new SubscriptionOptions { Name = "fragile" },
            _ => (_, _) => throw new InvalidOperationException("handler refused the event"));
        var host = builder.Build();
        await using var disposeHost = (IAsyncDisposable)host;
        await host.StartAsync(Ct);
        var store = host.Services.GetRequiredService<IEventStore>();
        await store.AppendAsync("order-1", ExpectedVersion.NoStream, [EventData.Json("placed", """{"card":"4111"}""")], Ct);

        await TestHost.WaitUntilAsync(
            () => Task.FromResult(host.Services.GetRequiredService<EventualiServiceStates>().All.Single().State == EventualiServiceState.Faulted),
            "the subscription faulted");
        var live = await TestHost.CheckAsync(host, EventualiHealthChecks.LiveTag);
        Assert.Equal(HealthStatus.Unhealthy, live.Status);
        Assert.Contains("subscription 'fragile' (SubscriptionFailedException)", live.Entries[EventualiHealthChecks.HostedServices].Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, (await TestHost.CheckAsync(host, EventualiHealthChecks.ReadyTag)).Status);

        var faulted = Assert.Single(logs.Entries, e => e.EventName == "ServiceFaulted");
        Assert.Contains("subscription 'fragile'", faulted.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("4111", logs.AllText, StringComparison.Ordinal);
        await host.StopAsync(Ct);
    }
}

[EventType("order-placed")]
internal sealed record OrderPlaced(string OrderId);

[EventType("shipment-requested")]
internal sealed record ShipmentRequested(string OrderId);
