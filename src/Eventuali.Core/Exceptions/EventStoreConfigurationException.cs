namespace Eventuali;

/// <summary>
/// A store could not be opened as asked: unknown scheme, malformed URL, unwritable path,
/// a file or database that is not an Eventuali store, or a schema from a newer version.
/// The message names the offending part and never contains a password.
/// </summary>
public sealed class EventStoreConfigurationException : EventualiException
{
    /// <summary>Creates the exception with a message naming what is wrong (never a password).</summary>
    public EventStoreConfigurationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
