using System.Text;
using Eventuali.Messaging.RabbitMq;
using Eventuali.Messaging.Redis;
using RabbitMQ.Client;
using StackExchange.Redis;

namespace Eventuali.Messaging.Tests;

/// <summary>One adapter as the shared broker tests use it: names no other test uses, one consumer group or queue.</summary>
internal abstract class BrokerKit : IAsyncDisposable
{
    protected string Tag { get; } = "t" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>The broker's name in scripts/brokers.sh and its environment variables.</summary>
    public abstract string Name { get; }

    /// <summary>The server's URL: the shared one scripts/brokers.sh started, unless a test set its own.</summary>
    public string Url
    {
        get => field ??= BrokerServers.Url(Name);
        set;
    }

    /// <summary>A publisher on a connection of its own, refusing bodies over <paramref name="maxBytes"/>.</summary>
    public abstract ValueTask<IMessagePublisher> PublisherAsync(int? maxBytes = null);

    /// <summary>A source of the test's group or queue, as the consumer <paramref name="consumer"/>, on a connection of its own.</summary>
    public abstract ValueTask<IMessageSource> SourceAsync(string consumer);

    /// <summary>Whatever must exist before publishing so nothing published is dropped (RabbitMQ's queue).</summary>
    public abstract ValueTask PrepareAsync();

    /// <summary>The reasons of the dead letters parked so far.</summary>
    public abstract Task<List<string>> DeadLetterReasonsAsync();

    /// <summary>Connects with <paramref name="url"/>; the adapter's own connect, whose error the test checks.</summary>
    public abstract Task ConnectAsync(string url);

    public abstract ValueTask DisposeAsync();
}

internal sealed class RedisKit : BrokerKit
{
    private ConnectionMultiplexer? _admin;

    public override string Name => "redis";

    private string Prefix => Tag + ":";

    private RedisStreamsOptions Options(int? maxBytes = null) => new()
    {
        KeyPrefix = Prefix,
        ClaimIdleTime = TimeSpan.FromSeconds(1),
        MaxMessageBytes = maxBytes ?? 8 * 1024 * 1024,
        PollInterval = TimeSpan.FromMilliseconds(20),
    };

    public override async ValueTask<IMessagePublisher> PublisherAsync(int? maxBytes = null)
        => new RedisStreamsPublisher(await RedisConnect.ConnectAsync(Url, TestContext.Current.CancellationToken), Options(maxBytes), ownsConnection: true);

    public override async ValueTask<IMessageSource> SourceAsync(string consumer)
        => new RedisStreamsSource(await RedisConnect.ConnectAsync(Url, TestContext.Current.CancellationToken), "shipping", consumer, "order", Options(), ownsConnection: true);

    public override ValueTask PrepareAsync() => ValueTask.CompletedTask;

    public override async Task<List<string>> DeadLetterReasonsAsync()
    {
        _admin ??= await RedisConnect.ConnectAsync(Url, TestContext.Current.CancellationToken);
        var entries = await _admin.GetDatabase().StreamRangeAsync(Prefix + "dead:shipping");
        return entries.Select(e => e.Values.Single(v => v.Name == RedisStreamFields.DeadLetterReason).Value.ToString()).ToList();
    }

    public override async Task ConnectAsync(string url)
    {
        await using var connection = await RedisConnect.ConnectAsync(url, TestContext.Current.CancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_admin is not null)
        {
            await _admin.GetDatabase().KeyDeleteAsync([Prefix + "order", Prefix + "dead:shipping"]);
            await _admin.DisposeAsync();
        }
    }
}

internal sealed class RabbitMqKit(IDictionary<string, object?>? queueArguments = null, int? publishChannels = null) : BrokerKit
{
    private IConnection? _admin;

    public override string Name => "rabbitmq";

    public string Queue => Tag + ".shipping";

    private RabbitMqOptions Options(int? maxBytes = null) => new()
    {
        Exchange = Tag,
        MaxMessageBytes = maxBytes ?? 8 * 1024 * 1024,
        PublishTimeout = TimeSpan.FromSeconds(3),
        QueueArguments = queueArguments ?? new RabbitMqOptions().QueueArguments, // the adapter's default unless a test names others
        PublishChannels = publishChannels ?? new RabbitMqOptions().PublishChannels,
    };

    public override async ValueTask<IMessagePublisher> PublisherAsync(int? maxBytes = null)
        => new RabbitMqPublisher(await RabbitMqConnect.ConnectAsync(Url, "test-publisher", TestContext.Current.CancellationToken), Options(maxBytes), ownsConnection: true);

    public override async ValueTask<IMessageSource> SourceAsync(string consumer)
        => new RabbitMqSource(await RabbitMqConnect.ConnectAsync(Url, consumer, TestContext.Current.CancellationToken), Queue, "order", Options(), ownsConnection: true);

    public override async ValueTask PrepareAsync()
    {
        await using var source = (RabbitMqSource)await SourceAsync("declare");
        await source.DeclareAsync(TestContext.Current.CancellationToken);
    }

    public override async Task<List<string>> DeadLetterReasonsAsync()
    {
        _admin ??= await RabbitMqConnect.ConnectAsync(Url, "test-admin", TestContext.Current.CancellationToken);
        await using var channel = await _admin.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken);
        var reasons = new List<string>();
        while (await channel.BasicGetAsync(Queue + ".dead", autoAck: false, TestContext.Current.CancellationToken) is { } got)
        {
            reasons.Add(Encoding.UTF8.GetString((byte[])got.BasicProperties.Headers![RabbitMqHeaders.DeadLetterReason]!));
        }

        // Not acknowledged: closing the channel puts them back for the next look.
        return reasons;
    }

    public override async Task ConnectAsync(string url)
    {
        await using var connection = await RabbitMqConnect.ConnectAsync(url, "test", TestContext.Current.CancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_admin is null)
        {
            _admin = await RabbitMqConnect.ConnectAsync(Url, "test-admin", CancellationToken.None);
        }

        await using (var channel = await _admin.CreateChannelAsync())
        {
            await channel.QueueDeleteAsync(Queue);
            await channel.QueueDeleteAsync(Queue + ".dead");
            await channel.ExchangeDeleteAsync(Tag);
        }

        await _admin.DisposeAsync();
    }
}
