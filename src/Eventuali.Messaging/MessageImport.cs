using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Eventuali.Extensibility;

namespace Eventuali.Messaging;

/// <summary>How <see cref="MessageImport"/> turns broker messages into events.</summary>
public sealed record ImportOptions
{
    /// <summary>Put before the message's stream id to name the stream it is appended to (null: the same id).</summary>
    public string? StreamPrefix { get; init; }

    /// <summary>The event types accepted (null: any); a message of another type is a poison message.</summary>
    public IReadOnlySet<string>? KnownTypes { get; init; }
}

/// <summary>
/// Inbound: appends broker messages to streams, the other direction of the relay. The event id is the message id (a
/// GUID as the relay sends it, or a GUID derived from any other id), and the store keeps event ids unique in the same
/// transaction as the append: a redelivered message appends nothing, so the import is exactly once in effect.
/// </summary>
public static class MessageImport
{
    /// <summary>
    /// Appends <paramref name="message"/> as one event; true when appended now, false when an event with its id is
    /// already stored. Throws <see cref="PoisonMessageException"/> naming what is wrong for a message that can never be
    /// imported (missing stream id or type header, unknown type, JSON that does not parse).
    /// </summary>
    public static async ValueTask<bool> ImportAsync(IEventStore store, InboundMessage message, ImportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(message);
        options ??= new ImportOptions();
        var data = ToEvent(message, options, out var streamId);
        try
        {
            await store.AppendAsync(streamId, ExpectedVersion.Any, [data], cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DuplicateEventIdException)
        {
            return false;
        }
    }

    /// <summary>The event for <paramref name="message"/> and the stream it goes to; throws <see cref="PoisonMessageException"/>.</summary>
    public static EventData ToEvent(InboundMessage message, ImportOptions options, out string streamId)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(options);
        if (!message.Headers.TryGetValue(MessageHeaders.StreamId, out var source) || source.Length == 0)
        {
            throw new PoisonMessageException($"Message {message.MessageId} from '{message.Topic}' has no '{MessageHeaders.StreamId}' header.");
        }

        if (!message.Headers.TryGetValue(MessageHeaders.EventType, out var type) || type.Length == 0)
        {
            throw new PoisonMessageException($"Message {message.MessageId} from '{message.Topic}' has no '{MessageHeaders.EventType}' header.");
        }

        if (options.KnownTypes is { } known && !known.Contains(type))
        {
            throw new PoisonMessageException($"Message {message.MessageId} from '{message.Topic}' has the unknown event type '{type}'.");
        }

        var contentType = message.Headers.TryGetValue(MessageHeaders.ContentType, out var ct) && ct.Length > 0 ? ct : ContentTypes.Json;
        if (contentType.StartsWith(ContentTypes.Json, StringComparison.OrdinalIgnoreCase))
        {
            EnsureJson(message);
        }

        streamId = (options.StreamPrefix ?? string.Empty) + source;
        try
        {
            AppendValidation.ValidateStreamId(streamId);
        }
        catch (ArgumentException ex)
        {
            throw new PoisonMessageException($"Message {message.MessageId} from '{message.Topic}' names a stream id that is not valid: {ex.Message}", ex);
        }

        return new EventData(EventIdOf(message.MessageId), type, message.Body, null, contentType);
    }

    /// <summary>The event id for a message id: the GUID itself, or a GUID derived from the id's SHA-256 (the same every time).</summary>
    public static Guid EventIdOf(string messageId)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        if (Guid.TryParse(messageId, out var id))
        {
            return id;
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(messageId), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8: derived by a custom (here SHA-256) scheme
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    private static void EnsureJson(InboundMessage message)
    {
        try
        {
            using var _ = JsonDocument.Parse(message.Body);
        }
        catch (JsonException ex)
        {
            throw new PoisonMessageException($"Message {message.MessageId} from '{message.Topic}' is not valid JSON: {ex.Message}", ex);
        }
    }
}

/// <summary>Runs a handler over a broker's deliveries: acknowledge after handling, dead-letter poison, leave the rest for redelivery.</summary>
public static class MessageConsumer
{
    /// <summary>
    /// Hands each delivery of <paramref name="source"/> to <paramref name="handler"/> (which should go through a
    /// <see cref="MessageInbox"/> or <see cref="MessageImport"/>, so redelivery is a no-op), then acknowledges it. A
    /// <see cref="PoisonMessageException"/> dead-letters the message with its reason; any other error leaves it
    /// unacknowledged for the broker to deliver again, and is reported to <paramref name="onError"/>. Runs until cancelled.
    /// </summary>
    public static async Task RunAsync(IMessageSource source, Func<InboundMessage, CancellationToken, ValueTask> handler, Action<InboundMessage, Exception>? onError = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(handler);
        await foreach (var delivery in source.ReceiveAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await handler(delivery.Message, cancellationToken).ConfigureAwait(false);
            }
            catch (PoisonMessageException poison)
            {
                await delivery.DeadLetterAsync(poison.Message, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
            {
                onError?.Invoke(delivery.Message, ex);
                continue;
            }

            await delivery.AckAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
