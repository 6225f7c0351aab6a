using Eventuali.Messaging;

namespace Eventuali.RelayBench;

/// <summary>
/// One broker as the benchmark drives it. A broker is one more file implementing this: a fresh destination per run,
/// the relay's publisher, the client's raw publish loop (the ceiling) and a consumer that timestamps what it handles.
/// </summary>
internal interface IBrokerBench : IAsyncDisposable
{
    /// <summary>The broker's name on the command line and in the results.</summary>
    string Name { get; }

    /// <summary>Makes a destination no other run uses (a stream, keys, an exchange and queue) named after <paramref name="tag"/>.</summary>
    ValueTask PrepareAsync(string tag, CancellationToken ct);

    /// <summary>The adapter's publisher, as the relay uses it, into the prepared destination.</summary>
    ValueTask<IMessagePublisher> RelayPublisherAsync(CancellationToken ct);

    /// <summary>
    /// The ceiling: <paramref name="messages"/> published with the same client, in batches of <paramref name="batchSize"/>,
    /// at most <paramref name="window"/> batches not yet acknowledged at once (the relay's semantics, without the relay).
    /// </summary>
    ValueTask RawPublishAsync(IReadOnlyList<OutboundMessage> messages, int batchSize, int window, CancellationToken ct);

    /// <summary>Consumes the destination's <paramref name="topic"/> with the adapter's source, calling <paramref name="handler"/> then acknowledging, until cancelled.</summary>
    Task ConsumeAsync(string topic, Action<InboundMessage> handler, CancellationToken ct);

    /// <summary>Deletes the prepared destination.</summary>
    ValueTask CleanupAsync(CancellationToken ct);
}
