namespace Eventuali.DataKeys;

/// <summary>The event metadata header that names the data subject an event is about.</summary>
public static class DataSubjectHeaders
{
    /// <summary>
    /// The data subject whose personal data the event holds (kept in the clear). Field encryption sets it; projections
    /// record the read-model documents written while applying such an event, so an erasure can delete them.
    /// </summary>
    public const string Subject = "eventuali-subject";
}
