namespace Eventuali.Integrity;

/// <summary>
/// An optional read made for verifying the tamper-evident log: every stored event (live and archived, exactly as
/// stored, beneath any interceptor) joined by position with its chain entry, handed over as spans of the backend's
/// own row buffers instead of built <see cref="RecordedEvent"/>s. A verifier that finds it (with
/// <c>store.GetFeature&lt;IEventChainRowReader&gt;()</c>) hashes the columns straight from the rows; one that does not
/// reads the ordinary global log and the entries, with the same findings.
/// </summary>
public interface IEventChainRowReader
{
    /// <summary>
    /// Hands <paramref name="sink"/> one row per position at or above <paramref name="fromPosition"/> that holds an
    /// event, a chain entry or both, in ascending position order, each position once, on the calling thread, until
    /// the end of the stored log. The spans of a row are valid only during the call that receives them.
    /// </summary>
    ValueTask ReadChainRowsAsync(long fromPosition, IEventChainRowSink sink, CancellationToken cancellationToken = default);
}

/// <summary>Receives the rows of <see cref="IEventChainRowReader.ReadChainRowsAsync"/>.</summary>
public interface IEventChainRowSink
{
    /// <summary>One position's event and entry; nothing of <paramref name="row"/> may be kept after the call.</summary>
    void Accept(in EventChainRow row);
}
