using Eventuali.Projections;

namespace Eventuali.Messaging;

/// <summary>
/// What one relay publishes: the events of a category (stream-id prefix) and/or of some event types, in log order.
/// The route's name names its checkpoint and its lease (<c>relay-NAME</c> among the projections), so one relay per
/// route runs at a time across nodes.
/// </summary>
public sealed record RelayRoute
{
    /// <summary>A route named <paramref name="name"/> (letters, digits, '_', '-', '.').</summary>
    public RelayRoute(string name)
    {
        ProjectionNames.Validate(LeaseName(name));
        Name = name;
    }

    /// <summary>The route's name.</summary>
    public string Name { get; }

    /// <summary>Only streams whose id starts with this (null: every stream).</summary>
    public string? Category { get; init; }

    /// <summary>Only these event types (null or empty: every type).</summary>
    public IReadOnlyList<string>? EventTypes { get; init; }

    /// <summary>
    /// The destination of every message (null: the stream's category, the stream id up to its first '-', so
    /// <c>order-17</c> goes to <c>order</c>).
    /// </summary>
    public string? Topic { get; init; }

    /// <summary>Events read and published per batch (1-10,000).</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>The lease and checkpoint name of the route called <paramref name="name"/>.</summary>
    public static string LeaseName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return "relay-" + name;
    }

    /// <summary>The destination of <paramref name="streamId"/>'s events on this route.</summary>
    public string TopicOf(string streamId)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        if (Topic is not null)
        {
            return Topic;
        }

        var dash = streamId.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 ? streamId[..dash] : streamId;
    }

    internal EventFilter? Filter => Category is null && (EventTypes is null || EventTypes.Count == 0)
        ? null
        : new EventFilter { StreamIdPrefix = Category, EventTypes = EventTypes is { Count: > 0 } ? EventTypes : null };

    internal void Validate()
    {
        if (BatchSize is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"Relay route '{Name}': the batch size must be 1-10,000.");
        }

        if (Category is { Length: 0 })
        {
            throw new ArgumentException($"Relay route '{Name}': the category must not be empty (use null for every stream).", nameof(Category));
        }
    }
}

/// <summary>How a relay waits: for the lease, for appends, and after a failed publish.</summary>
public sealed record RelayOptions
{
    /// <summary>This node's name, recorded as the owner of the route's lease.</summary>
    public string NodeId { get; init; } = Environment.MachineName + ":" + Environment.ProcessId;

    /// <summary>How often a node without the lease tries to take it.</summary>
    public TimeSpan LeaseRetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the log is read when the store gives no append signal.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The first wait after a failed publish; it doubles up to <see cref="MaxRetryDelay"/> while the broker stays down.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between publish attempts.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Batches sent and not yet all confirmed at once (1-64; 1 waits for each batch's confirms before sending the
    /// next). The checkpoint only ever moves to the end of the last batch before the oldest unconfirmed one; when a
    /// batch fails, the relay waits for the others, then publishes again from that oldest unconfirmed batch.
    /// </summary>
    public int MaxBatchesInFlight { get; init; } = 4;

    /// <summary>The clock for waits.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
