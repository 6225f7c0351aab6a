namespace Eventuali.Streaming;

/// <summary>
/// Ends a subscription that could not keep up under <see cref="SlowSubscriberPolicy.Fail"/>, or that missed a batch
/// because its publish was cancelled while waiting for it. The subscriber received every event up to
/// <see cref="LastPosition"/>; nothing after it was delivered.
/// </summary>
public sealed class SubscriberOverflowException : EventualiException
{
    /// <summary>Creates the exception for <paramref name="subscriptionName"/>, which received events up to <paramref name="lastPosition"/> while <paramref name="publishedPosition"/> was published.</summary>
    public SubscriberOverflowException(string subscriptionName, long lastPosition, long publishedPosition, string message)
        : base(message)
    {
        SubscriptionName = subscriptionName;
        LastPosition = lastPosition;
        PublishedPosition = publishedPosition;
    }

    /// <summary>The subscription that was ended.</summary>
    public string SubscriptionName { get; }

    /// <summary>The last position the subscriber had consumed (0: none) when it was ended.</summary>
    public long LastPosition { get; }

    /// <summary>The highest position the streamer had published when the subscriber was ended.</summary>
    public long PublishedPosition { get; }
}
