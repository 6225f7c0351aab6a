namespace Eventuali.DataKeys;

/// <summary>
/// The header naming the data subject an event holds personal data about (kept in the clear; field encryption sets
/// it). A backend that keeps data keys records which streams hold which subjects in the append's own transaction,
/// from this header, so finding a subject's streams (for erasure and export) costs no write of its own and can never
/// miss an event that was stored; projections record the read-model documents written while applying such an event,
/// so an erasure can delete them.
/// </summary>
public static class DataSubjectHeader
{
    /// <summary>The header name.</summary>
    public const string Name = "eventuali-subject";

    /// <summary>
    /// The distinct valid subjects the events name, in first-seen order; empty, without allocating, when none does.
    /// A malformed value (see <see cref="DataKeyValidation.IsValidSubject"/>) names no subject.
    /// </summary>
    public static IReadOnlyList<string> SubjectsOf(IReadOnlyList<EventData> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        List<string>? subjects = null;
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].Metadata.Headers is { } headers && headers.TryGetValue(Name, out var subject)
                && DataKeyValidation.IsValidSubject(subject) && !(subjects?.Contains(subject) ?? false))
            {
                (subjects ??= []).Add(subject);
            }
        }

        return subjects ?? (IReadOnlyList<string>)[];
    }
}
