namespace Eventuali;

/// <summary>The store's server could not be reached or refused the connection. Never contains a password.</summary>
public sealed class EventStoreUnavailableException : EventualiException
{
    /// <summary>Creates the exception with a message naming the store (never a password) and the error behind it.</summary>
    public EventStoreUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
