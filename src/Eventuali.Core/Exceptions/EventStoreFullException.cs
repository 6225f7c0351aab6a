namespace Eventuali;

/// <summary>
/// The store's storage is full (disk full, or a size limit reached): the write that hit it was not stored, and
/// everything stored before it is intact. Free space or raise the limit, then retry; a retry with the same event ids
/// is safe.
/// </summary>
public sealed class EventStoreFullException : EventualiException
{
    /// <summary>Creates the exception; <paramref name="message"/> names the store's file and what was being done.</summary>
    public EventStoreFullException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
