using Eventuali.Messaging.Nats;
using Eventuali.Messaging.RabbitMq;
using Eventuali.Messaging.Redis;
using NATS.Client.JetStream;
using RabbitMQ.Client;

namespace Eventuali.Messaging.Tests;

/// <summary>The relay killed with SIGKILL between publish and checkpoint (<see cref="RelaySigkillTests"/>), against NATS JetStream.</summary>
public sealed class NatsRelaySigkillTests : RelaySigkillTests
{
    protected override string BrokerName => "nats";

    protected override bool BrokerDropsDuplicates => true; // Nats-Msg-Id within the duplicate window

    // The names the relay host derives from the tag: stream TAG on subjects tag.*.
    private NatsJetStreamOptions Options => new()
    {
        StreamName = Tag.ToUpperInvariant(),
        SubjectPrefix = Tag,
        DeadLetterStreamName = Tag.ToUpperInvariant() + "_DEAD",
        AckWait = TimeSpan.FromSeconds(5),
    };

    protected override async ValueTask<IMessageSource> OpenSourceAsync()
        => new NatsJetStreamSource(await Broker.ConnectAsync(Ct), "shipping", "order", Options, ownsConnection: true);

    protected override async Task<long> StoredAsync()
    {
        await using var nats = await Broker.ConnectAsync(Ct);
        return (long)(await new NatsJSContext(nats).GetStreamAsync(Options.StreamName, cancellationToken: Ct)).Info.State.Messages;
    }

    protected override async ValueTask CleanupAsync()
    {
        await using var nats = await Broker.ConnectAsync(CancellationToken.None);
        var js = new NatsJSContext(nats);
        foreach (var stream in new[] { Options.StreamName, Options.DeadLetterStreamName })
        {
            try
            {
                await js.DeleteStreamAsync(stream);
            }
            catch (NatsJSApiException)
            {
            }
        }
    }
}

/// <summary>The relay killed with SIGKILL between publish and checkpoint (<see cref="RelaySigkillTests"/>), against Redis Streams.</summary>
public sealed class RedisRelaySigkillTests : RelaySigkillTests
{
    protected override string BrokerName => "redis";

    protected override bool BrokerDropsDuplicates => false;

    // The names the relay host derives from the tag: keys tag:*.
    private RedisStreamsOptions Options => new() { KeyPrefix = Tag + ":", ClaimIdleTime = TimeSpan.FromSeconds(1), PollInterval = TimeSpan.FromMilliseconds(20) };

    protected override async ValueTask<IMessageSource> OpenSourceAsync()
        => new RedisStreamsSource(await RedisConnect.ConnectAsync(BrokerServers.Url("redis"), Ct), "shipping", "test", "order", Options, ownsConnection: true);

    protected override async Task<long> StoredAsync()
    {
        await using var redis = await RedisConnect.ConnectAsync(BrokerServers.Url("redis"), Ct);
        return await redis.GetDatabase().StreamLengthAsync(Tag + ":order");
    }

    protected override async ValueTask CleanupAsync()
    {
        await using var redis = await RedisConnect.ConnectAsync(BrokerServers.Url("redis"), CancellationToken.None);
        await redis.GetDatabase().KeyDeleteAsync([Tag + ":order", Tag + ":dead:shipping"]);
    }
}

/// <summary>The relay killed with SIGKILL between publish and checkpoint (<see cref="RelaySigkillTests"/>), against RabbitMQ.</summary>
public sealed class RabbitMqRelaySigkillTests : RelaySigkillTests
{
    protected override string BrokerName => "rabbitmq";

    protected override bool BrokerDropsDuplicates => false;

    private string Queue => Tag + ".shipping";

    // The names the relay host derives from the tag: exchange tag.
    private RabbitMqOptions Options => new() { Exchange = Tag };

    protected override async ValueTask PrepareAsync()
    {
        // Mandatory routing: the queue is bound before the relay publishes, or the relay would wait for it.
        await using var source = (RabbitMqSource)await OpenSourceAsync();
        await source.DeclareAsync(Ct);
    }

    protected override async ValueTask<IMessageSource> OpenSourceAsync()
        => new RabbitMqSource(await RabbitMqConnect.ConnectAsync(BrokerServers.Url("rabbitmq"), "test-consumer", Ct), Queue, "order", Options, ownsConnection: true);

    protected override async Task<long> StoredAsync()
    {
        await using var rabbit = await RabbitMqConnect.ConnectAsync(BrokerServers.Url("rabbitmq"), "test-admin", Ct);
        await using var channel = await rabbit.CreateChannelAsync(cancellationToken: Ct);
        return (await channel.QueueDeclarePassiveAsync(Queue, Ct)).MessageCount;
    }

    protected override async ValueTask CleanupAsync()
    {
        await using var rabbit = await RabbitMqConnect.ConnectAsync(BrokerServers.Url("rabbitmq"), "test-admin", CancellationToken.None);
        await using var channel = await rabbit.CreateChannelAsync();
        await channel.QueueDeleteAsync(Queue);
        await channel.QueueDeleteAsync(Queue + ".dead");
        await channel.ExchangeDeleteAsync(Tag);
    }
}
