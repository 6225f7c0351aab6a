using Eventuali.Messaging;
using Eventuali.Messaging.Nats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Eventuali.Hosting.Tests;

/// <summary>Relays registered through AddEventuali, publishing to the NATS server scripts/brokers.sh started.</summary>
public sealed class RelayHostingTests
{
    private static CancellationToken Ct => TestHost.Ct;

    private static string NatsUrl => Environment.GetEnvironmentVariable("EVENTUALI_NATS_URL") is { Length: > 0 } url ? url
        : throw new InvalidOperationException("EVENTUALI_NATS_URL is not set: start the brokers with eval \"$(bash scripts/brokers.sh)\".");

    private static NatsJetStreamOptions Isolated()
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        return new NatsJetStreamOptions { StreamName = "H" + tag, SubjectPrefix = "h" + tag };
    }

    private static IHost Build(ScratchDir dir, NatsConnection nats, NatsJetStreamOptions jetStream)
    {
        var builder = TestHost.Builder(new Dictionary<string, string?>
        {
            ["Eventuali:Url"] = dir.SqliteUrl(),
            ["Eventuali:HealthChecks:MaxRelayLag"] = "00:00:00", // ready only when every event is confirmed
        });
        builder.AddEventuali();
        builder.Services.AddHealthChecks().AddEventualiHealthChecks();
        builder.Services.AddEventualiRelay(new RelayRoute("orders") { Category = "order-" }, _ => new NatsJetStreamPublisher(nats, jetStream),
            new RelayOptions { NodeId = "node-1", LeaseRetryInterval = TimeSpan.FromMilliseconds(50) });
        return builder.Build();
    }

    [Fact]
    public async Task A_hosted_relay_publishes_the_route_and_is_ready_only_once_the_broker_confirmed_everything()
    {
        using var dir = new ScratchDir();
        await using var nats = await NatsConnect.ConnectAsync(NatsUrl, cancellationToken: Ct);
        var jetStream = Isolated();
        var host = Build(dir, nats, jetStream);
        await using var disposeHost = (IAsyncDisposable)host;
        var store = host.Services.GetRequiredService<IEventStore>();
        for (var i = 0; i < 20; i++)
        {
            await store.AppendAsync($"order-{i % 4}", ExpectedVersion.Any, [EventData.Json("placed", $"{{\"n\":{i}}}")], Ct);
        }

        // Not started: everything is unpublished, so not ready.
        var before = (await TestHost.CheckAsync(host, EventualiHealthChecks.ReadyTag)).Entries[EventualiHealthChecks.RelayLag];
        Assert.Equal(HealthStatus.Unhealthy, before.Status);
        Assert.Contains("'orders' is", before.Description, StringComparison.Ordinal);

        await host.StartAsync(Ct);
        await TestHost.WaitUntilAsync(
            async () => (await TestHost.CheckAsync(host, EventualiHealthChecks.ReadyTag)).Entries[EventualiHealthChecks.RelayLag].Status == HealthStatus.Healthy,
            "the relay check is healthy");

        var stream = await new NatsJSContext(nats).GetStreamAsync(jetStream.StreamName, cancellationToken: Ct);
        Assert.Equal(20, stream.Info.State.Messages);
        var relay = host.Services.GetRequiredKeyedService<EventRelay>("orders");
        Assert.True(relay.IsLeader);
        Assert.Equal(20, relay.Published);

        await host.StopAsync(Ct);
        var states = host.Services.GetRequiredService<EventualiServiceStates>().All;
        Assert.Contains(states, s => s.Service == "relay 'orders'" && s.State == EventualiServiceState.Stopped);
    }

    [Fact]
    public async Task A_stream_the_broker_refuses_faults_the_relay_service_and_the_liveness_check_names_it()
    {
        using var dir = new ScratchDir();
        await using var nats = await NatsConnect.ConnectAsync(NatsUrl, cancellationToken: Ct);
        var taken = Isolated();
        await using (var first = new NatsJetStreamPublisher(nats, taken))
        {
            await first.PublishAsync([], Ct); // creates the stream that captures the prefix's subjects
        }

        var host = Build(dir, nats, taken with { StreamName = taken.StreamName + "X" });
        await using var disposeHost = (IAsyncDisposable)host;
        await host.Services.GetRequiredService<IEventStore>().AppendAsync("order-1", ExpectedVersion.Any, [EventData.Json("placed", "{}")], Ct);
        await host.StartAsync(Ct);

        await TestHost.WaitUntilAsync(
            async () => (await TestHost.CheckAsync(host, EventualiHealthChecks.LiveTag)).Entries[EventualiHealthChecks.HostedServices].Status == HealthStatus.Unhealthy,
            "the liveness check reports the relay");
        var status = host.Services.GetRequiredService<EventualiServiceStates>().All.Single(s => s.Service == "relay 'orders'");
        Assert.Equal(EventualiServiceState.Faulted, status.State);
        var refused = Assert.IsType<BrokerConfigurationException>(status.Error);
        Assert.Contains("overlap", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_relay_of_the_same_route_is_refused_at_registration()
    {
        var services = new ServiceCollection();
        services.AddEventualiRelay(new RelayRoute("orders"), _ => throw new InvalidOperationException("not made"));
        var twice = Assert.Throws<ArgumentException>(() => services.AddEventualiRelay(new RelayRoute("orders"), _ => throw new InvalidOperationException("not made")));
        Assert.Contains("'orders' is registered already", twice.Message, StringComparison.Ordinal);
    }
}
