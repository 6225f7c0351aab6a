namespace Eventuali;

/// <summary>Base class of every error Eventuali raises on purpose.</summary>
public class EventualiException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public EventualiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error behind it.</summary>
    public EventualiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
