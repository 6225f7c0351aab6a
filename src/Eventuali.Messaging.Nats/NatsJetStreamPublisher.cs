using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Eventuali.Messaging.Nats;

/// <summary>
/// Publishes to NATS JetStream: subject per category, <c>Nats-Msg-Id</c> = event id (JetStream drops a duplicate within
/// <see cref="NatsJetStreamOptions.DuplicateWindow"/>), and a batch is confirmed when every publish ack came back.
/// The publisher must be the only writer of its JetStream stream (one relay route per stream): it chains its messages
/// with <c>Nats-Expected-Last-Msg-Id</c> to keep their order through failures.
/// </summary>
public sealed class NatsJetStreamPublisher : IMessagePublisher
{
    private readonly NatsConnection _connection;
    private readonly NatsJSContext _js;
    private readonly NatsJetStreamOptions _options;
    private readonly bool _ownsConnection;
    private const string ExpectedLastMsgIdHeader = "Nats-Expected-Last-Msg-Id";
    private const string MsgIdHeader = "Nats-Msg-Id";
    private readonly NatsAckInbox _acks;
    private int _streamReady;
    private readonly NatsChain _chain = new();

    /// <summary>A publisher on <paramref name="connection"/>; disposing it closes the connection when <paramref name="ownsConnection"/>.</summary>
    public NatsJetStreamPublisher(NatsConnection connection, NatsJetStreamOptions? options = null, bool ownsConnection = false)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _js = new NatsJSContext(connection);
        _options = options ?? new NatsJetStreamOptions();
        _ownsConnection = ownsConnection;
        _acks = new NatsAckInbox(connection);
    }

    /// <inheritdoc />
    public string Broker => "nats";

    /// <inheritdoc />
    public async ValueTask PublishAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default)
        => await (await SendAsync(messages, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<Task> SendAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (Volatile.Read(ref _streamReady) == 0)
        {
            await NatsStreams.EnsureAsync(_js, _options.StreamName, _options.SubjectPrefix + ".>", _options.DuplicateWindow, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _streamReady, 1);
        }

        ThrowIfTooLarge(messages);

        // All sent on the one connection in order; the acks are awaited by the returned task, so the next batch can be
        // sent meanwhile. Each message but the first ever sent expects the one sent before it to be the stream's last
        // (Nats-Expected-Last-Msg-Id), across batches too: when one fails, every one after it is refused rather than
        // stored ahead of it, so a batch published again keeps stream order. JetStream checks the message id for
        // duplicates first, so a batch published again confirms what was stored and stores the rest after it.
        await _acks.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        var batch = _acks.Begin(messages.Count, _options.PublishTimeout, cancellationToken);
        var deadline = batch.Deadline;
        var link = _chain.Add(messages.Count > 0 ? messages[^1].MessageId : null, out var previous);
        for (var i = 0; i < messages.Count; i++)
        {
            var m = messages[i];
            var headers = new NatsHeaders { [MsgIdHeader] = m.MessageId };
            foreach (var (key, value) in m.Headers)
            {
                headers[key] = value;
            }

            if (previous is not null)
            {
                headers[ExpectedLastMsgIdHeader] = previous;
            }

            previous = m.MessageId;
            try
            {
                await _acks.PublishAsync(batch, i, _options.Subject(m.Topic), m.Body, headers, deadline).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                batch.SendFailed(i, ex);
                break;
            }
        }

        return ConfirmAsync(batch, link, messages.Count);
    }

    private async Task ConfirmAsync(NatsAckInbox.Batch batch, NatsChain.Link link, int count)
    {
        try
        {
            await batch.Completion.ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            _chain.Complete(link, false);
            throw new InvalidOperationException($"NATS JetStream did not confirm every message of the batch of {count} for stream '{_options.StreamName}': {ex.Message}", ex);
        }

        _chain.Complete(link, true);
    }

    /// <summary>
    /// A message over the server's <c>max_payload</c> would be refused on every attempt, and the relay cannot skip it
    /// without losing order: it stops with an error naming the event, its size and the limit.
    /// </summary>
    private void ThrowIfTooLarge(IReadOnlyList<OutboundMessage> messages)
    {
        var max = _connection.ServerInfo?.MaxPayload ?? 0;
        if (max <= 0)
        {
            return;
        }

        foreach (var m in messages)
        {
            // Headers count against the limit too: NATS/1.0 line, "key: value\r\n" each, the message id, the expectation.
            var size = (long)m.Body.Length + 12 + HeaderLineBytes(MsgIdHeader, m.MessageId) + HeaderLineBytes(ExpectedLastMsgIdHeader, m.MessageId);
            foreach (var (key, value) in m.Headers)
            {
                size += HeaderLineBytes(key, value);
            }

            if (size > max)
            {
                throw new BrokerConfigurationException(
                    $"The event {m.MessageId} of stream '{m.Key}' is {size} bytes as a NATS message; the server accepts at most {max} (its max_payload). Raise max_payload on the server or store a reference instead of the large payload.");
            }
        }
    }

    private static int HeaderLineBytes(string key, string value) => System.Text.Encoding.UTF8.GetByteCount(key) + System.Text.Encoding.UTF8.GetByteCount(value) + 4;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _acks.DisposeAsync().ConfigureAwait(false);
        if (_ownsConnection)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}

internal static class NatsStreams
{
    public static async ValueTask EnsureAsync(NatsJSContext js, string name, string subjects, TimeSpan duplicateWindow, CancellationToken ct)
    {
        var config = new StreamConfig(name, [subjects])
        {
            Storage = StreamConfigStorage.File,
            DuplicateWindow = duplicateWindow,
        };
        try
        {
            await js.CreateOrUpdateStreamAsync(config, ct).ConfigureAwait(false);
        }
        catch (NatsJSApiException ex) when (ex.Error.Code == 400)
        {
            // A 400 is the server refusing this configuration (most often subjects another stream already captures):
            // the same request fails the same way every time, so it must surface, not be retried.
            var hint = ex.Error.ErrCode == SubjectsOverlap
                ? $"its subjects '{subjects}' overlap those of another stream on the server; publish under another subject prefix or into that stream"
                : ex.Error.Description;
            throw new BrokerConfigurationException($"NATS JetStream refused the stream '{name}': {hint} (error {ex.Error.ErrCode}).", ex);
        }
    }

    private const int SubjectsOverlap = 10065;
}
