using Eventuali.Messaging;
using Eventuali.Messaging.RabbitMq;
using RabbitMQ.Client;

namespace Eventuali.RelayBench;

/// <summary>
/// RabbitMQ: a durable topic exchange and one durable queue (the adapter's default type, quorum) bound to every key per
/// run (so mandatory publishes are routed and confirms mean "on disk in the queue"); the raw loop is a confirm-tracking
/// channel's persistent publish into the same kind of queue.
/// </summary>
internal sealed class RabbitMqBench(IConnection connection) : IBrokerBench
{
    private RabbitMqOptions _options = new();
    private string _queue = "";

    public string Name => "rabbitmq";

    public static async ValueTask<IBrokerBench> ConnectAsync(string url, CancellationToken ct)
        => new RabbitMqBench(await RabbitMqConnect.ConnectAsync(url, "relay-bench", ct).ConfigureAwait(false));

    public async ValueTask PrepareAsync(string tag, CancellationToken ct)
    {
        // The adapter's default queue (quorum) unless EVENTUALI_BENCH_RABBITMQ_QUEUE_ARGS names others, e.g.
        // "x-queue-type=classic,x-queue-version=2" or "x-queue-type=classic,x-queue-mode=lazy" (numbers as numbers).
        var arguments = new RabbitMqOptions().QueueArguments;
        if (Environment.GetEnvironmentVariable("EVENTUALI_BENCH_RABBITMQ_QUEUE_ARGS") is { Length: > 0 } text)
        {
            arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = pair.Split('=', 2);
                arguments[parts[0]] = parts.Length < 2 ? "" : int.TryParse(parts[1], out var number) ? number : parts[1];
            }
        }

        // EVENTUALI_BENCH_RABBITMQ_CHANNELS=N: publish channels of the relay and the raw loop alike (the adapter's default otherwise).
        var channels = int.TryParse(Environment.GetEnvironmentVariable("EVENTUALI_BENCH_RABBITMQ_CHANNELS"), out var n) ? n : new RabbitMqOptions().PublishChannels;
        _options = new RabbitMqOptions { Exchange = "rb" + tag, QueueArguments = arguments, PublishChannels = channels };
        _queue = "rb" + tag + ".bench";
        await new RabbitMqSource(connection, _queue, null, _options).DeclareAsync(ct).ConfigureAwait(false);
    }

    public ValueTask<IMessagePublisher> RelayPublisherAsync(CancellationToken ct)
        => ValueTask.FromResult<IMessagePublisher>(new RabbitMqPublisher(connection, _options));

    public async ValueTask RawPublishAsync(IReadOnlyList<OutboundMessage> messages, int batchSize, int window, CancellationToken ct)
    {
        // As many channels as the relay's publisher, a stream's messages always on the same one.
        var channels = new IChannel[_options.PublishChannels];
        for (var c = 0; c < channels.Length; c++)
        {
            channels[c] = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct).ConfigureAwait(false);
        }

        try
        {
            await RawWindow.RunAsync(messages.Count, batchSize, window, (start, n) =>
            {
                var confirms = new Task[n];
                for (var i = 0; i < n; i++)
                {
                    var m = messages[start + i];
                    var headers = new Dictionary<string, object?>(m.Headers.Count, StringComparer.Ordinal);
                    foreach (var (name, value) in m.Headers)
                    {
                        headers[name] = value;
                    }

                    var properties = new BasicProperties { MessageId = m.MessageId, Persistent = true, Headers = headers };
                    var channel = channels[(int)((uint)m.Key.GetHashCode(StringComparison.Ordinal) % (uint)channels.Length)];
                    confirms[i] = channel.BasicPublishAsync(_options.Exchange, m.Topic, mandatory: true, properties, m.Body, ct).AsTask();
                }

                return Task.WhenAll(confirms);
            }).ConfigureAwait(false);
        }
        finally
        {
            foreach (var channel in channels)
            {
                await channel.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public Task ConsumeAsync(string topic, Action<InboundMessage> handler, CancellationToken ct)
        => Consumer.RunAsync(new RabbitMqSource(connection, _queue, null, _options), handler, ct);

    public async ValueTask CleanupAsync(CancellationToken ct)
    {
        var channel = await connection.CreateChannelAsync(cancellationToken: ct).ConfigureAwait(false);
        await using (channel.ConfigureAwait(false))
        {
            await channel.QueueDeleteAsync(_queue, cancellationToken: ct).ConfigureAwait(false);
            await channel.QueueDeleteAsync(_queue + _options.DeadLetterSuffix, cancellationToken: ct).ConfigureAwait(false);
            await channel.ExchangeDeleteAsync(_options.Exchange, cancellationToken: ct).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
