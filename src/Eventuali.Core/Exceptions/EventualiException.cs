namespace Eventuali;

/// <summary>Base class of every error Eventuali raises on purpose.</summary>
public class EventualiException : Exception
{
    public EventualiException(string message)
        : base(message)
    {
    }

    public EventualiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
