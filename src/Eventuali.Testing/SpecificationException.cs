namespace Eventuali.Testing;

/// <summary>
/// A specification's expectation did not hold. The message shows what was expected and what happened (for events,
/// both lists and the first difference, field by field). Test frameworks report it like any failed assertion.
/// </summary>
public sealed class SpecificationException : Exception
{
    /// <summary>Creates the exception with the readable explanation <paramref name="message"/>.</summary>
    public SpecificationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the error that caused the failure.</summary>
    public SpecificationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message (prefer the constructors that explain the failure).</summary>
    public SpecificationException()
        : base("The specification failed.")
    {
    }
}
