namespace Eventuali.Projections;

/// <summary>
/// Inline projections: their handlers run inside the append's own transaction, so the read model is never
/// behind the log, and an append that fails (a conflict, or a handler that throws) leaves no read-model change.
/// Implemented by every store. With no inline projection registered, appends take their usual path unchanged.
/// </summary>
public interface IInlineProjectionStore
{
    /// <summary>
    /// Registers <paramref name="projection"/> for every later append of this store instance. It applies events
    /// appended from now on (a new projection's position starts at the current head); handlers should complete
    /// synchronously (the built-in document API does on every backend): they run while the append holds the write lock.
    /// </summary>
    ValueTask AddInlineProjectionAsync(Projection projection, CancellationToken cancellationToken = default);
}

/// <summary>An inline projection's handler failed; the append was rolled back and nothing of it is stored.</summary>
public sealed class InlineProjectionException : EventualiException
{
    /// <summary>Creates the exception for <paramref name="projection"/>, which failed on <paramref name="recorded"/>.</summary>
    public InlineProjectionException(string projection, RecordedEvent recorded, Exception innerException)
        : base($"Inline projection '{projection}' failed on event {recorded?.EventId} ({recorded?.EventType}) of stream '{recorded?.StreamId}'; the append was rolled back: {innerException?.Message}", innerException)
    {
        Projection = projection;
    }

    /// <summary>The inline projection that failed.</summary>
    public string Projection { get; }
}
