namespace Eventuali;

/// <summary>
/// The connection broke after an append was sent to the server and before its answer came back: the append may or
/// may not be stored. Retrying it with the same event ids is safe: a stored append is answered with its original
/// result and written only once. It is transient (<see cref="EventStoreUnavailableException.IsTransient"/>): a retry
/// policy that repeats the same append with the same event ids settles the outcome.
/// </summary>
public sealed class AppendOutcomeUnknownException : EventStoreUnavailableException
{
    /// <summary>Creates the exception; <paramref name="message"/> names the server and the stream, never a password.</summary>
    public AppendOutcomeUnknownException(string message, Exception? innerException = null)
        : base(message, isTransient: true, innerException)
    {
    }
}
