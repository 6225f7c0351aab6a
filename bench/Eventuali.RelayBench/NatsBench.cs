using Eventuali.Messaging;
using Eventuali.Messaging.Nats;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Eventuali.RelayBench;

/// <summary>NATS JetStream: a file-stored stream per run; the raw loop is JetStream publish with Nats-Msg-Id and the same headers.</summary>
internal sealed class NatsBench(NatsConnection connection) : IBrokerBench
{
    private readonly NatsJSContext _js = new(connection);
    private NatsJetStreamOptions _options = new();

    public string Name => "nats";

    public static async ValueTask<IBrokerBench> ConnectAsync(string url, CancellationToken ct)
        => new NatsBench(await NatsConnect.ConnectAsync(url, cancellationToken: ct).ConfigureAwait(false));

    public async ValueTask PrepareAsync(string tag, CancellationToken ct)
    {
        _options = new NatsJetStreamOptions { StreamName = "RB_" + tag, SubjectPrefix = "rb" + tag, DeadLetterStreamName = "RBD_" + tag };
        await _js.CreateOrUpdateStreamAsync(new StreamConfig(_options.StreamName, [_options.SubjectPrefix + ".>"])
        {
            Storage = StreamConfigStorage.File,
            DuplicateWindow = _options.DuplicateWindow,
        }, ct).ConfigureAwait(false);
    }

    public ValueTask<IMessagePublisher> RelayPublisherAsync(CancellationToken ct)
        => ValueTask.FromResult<IMessagePublisher>(new NatsJetStreamPublisher(connection, _options));

    public async ValueTask RawPublishAsync(IReadOnlyList<OutboundMessage> messages, int batchSize, int window, CancellationToken ct)
        => await RawWindow.RunAsync(messages.Count, batchSize, window, (start, n) =>
        {
            var acks = new Task<PubAckResponse>[n];
            for (var i = 0; i < n; i++)
            {
                var m = messages[start + i];
                var headers = new NatsHeaders();
                foreach (var (key, value) in m.Headers)
                {
                    headers[key] = value;
                }

                acks[i] = _js.PublishAsync(_options.SubjectPrefix + "." + m.Topic, m.Body.ToArray(), NatsRawSerializer<byte[]>.Default, new NatsJSPubOpts { MsgId = m.MessageId }, headers, ct).AsTask();
            }

            return AckedAsync(acks);
        }).ConfigureAwait(false);

    private static async Task AckedAsync(Task<PubAckResponse>[] acks)
    {
        foreach (var ack in acks)
        {
            (await ack.ConfigureAwait(false)).EnsureSuccess();
        }
    }

    public Task ConsumeAsync(string topic, Action<InboundMessage> handler, CancellationToken ct)
        => Consumer.RunAsync(new NatsJetStreamSource(connection, "bench", topic, _options), handler, ct);

    public async ValueTask CleanupAsync(CancellationToken ct)
    {
        await _js.DeleteStreamAsync(_options.StreamName, ct).ConfigureAwait(false);
        try
        {
            await _js.DeleteStreamAsync(_options.DeadLetterStreamName, ct).ConfigureAwait(false);
        }
        catch (NatsJSApiException)
        {
            // Only the consumer makes it.
        }
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
