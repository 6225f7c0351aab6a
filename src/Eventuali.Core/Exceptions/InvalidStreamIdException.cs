namespace Eventuali;

/// <summary>
/// A stream id that cannot be used: empty, too long, or holding a control or unstorable character. Nothing was
/// written. Its message reads as a sentence, without the "(Parameter 'streamId')" suffix of <see cref="ArgumentException"/>;
/// <see cref="ArgumentException.ParamName"/> is still <c>streamId</c>.
/// </summary>
public sealed class InvalidStreamIdException : ArgumentException
{
    /// <summary>Creates the exception with the sentence that says what is wrong with the stream id.</summary>
    public InvalidStreamIdException(string message)
        : base(message, "streamId")
    {
        Reason = message;
    }

    /// <summary>What is wrong with the stream id, in the user's words.</summary>
    public override string Message => Reason;

    private string Reason { get; }
}
