namespace Eventuali;

/// <summary>The store's server could not be reached or refused the connection. Never contains a password.</summary>
public class EventStoreUnavailableException : EventualiException
{
    public EventStoreUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
