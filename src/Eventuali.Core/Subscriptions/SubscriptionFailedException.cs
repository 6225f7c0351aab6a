namespace Eventuali.Subscriptions;

/// <summary>
/// A handler-based subscription stopped because its handler (or the store) failed. The inner exception is the
/// cause; the failing event is named and was not checkpointed, so a restart delivers it again.
/// </summary>
public sealed class SubscriptionFailedException : EventualiException
{
    /// <summary>Creates the exception for <paramref name="subscriptionName"/>, which failed on <paramref name="failedEvent"/> (null: not on an event).</summary>
    public SubscriptionFailedException(string subscriptionName, RecordedEvent? failedEvent, Exception innerException)
        : base(Describe(subscriptionName, failedEvent, innerException), innerException)
    {
        SubscriptionName = subscriptionName;
        FailedEvent = failedEvent;
    }

    /// <summary>The subscription that failed.</summary>
    public string SubscriptionName { get; }

    /// <summary>The event whose handler threw; null when the store failed between events.</summary>
    public RecordedEvent? FailedEvent { get; }

    private static string Describe(string name, RecordedEvent? e, Exception inner)
        => e is null
            ? $"Subscription '{name}' stopped: {inner.GetType().Name}: {inner.Message}"
            : $"Subscription '{name}' stopped: its handler threw {inner.GetType().Name} on event {e.EventType} (stream '{e.StreamId}' version {e.StreamVersion}, position {e.Position}): {inner.Message}";
}
