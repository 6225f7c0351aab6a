namespace Eventuali;

/// <summary>The store's server could not be reached or refused the connection. Never contains a password.</summary>
public class EventStoreUnavailableException : EventualiException
{
    /// <summary>Creates the exception with a message naming the store (never a password) and the error behind it.</summary>
    public EventStoreUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>An unavailable store, marked by the backend as transient (worth retrying) or not.</summary>
    /// <param name="message">What failed, without secrets.</param>
    /// <param name="isTransient">Whether the same call may succeed later unchanged (a dropped connection, a failover, a server starting up).</param>
    /// <param name="innerException">The backend's own error.</param>
    public EventStoreUnavailableException(string message, bool isTransient, Exception? innerException = null)
        : base(message, innerException)
    {
        IsTransient = isTransient;
    }

    /// <summary>
    /// True when the backend classified the error as transient: reading again (after a backoff) may succeed, as after a
    /// dropped connection or a server restart. False for errors that repeat until someone acts (a refused login).
    /// </summary>
    public bool IsTransient { get; }
}
