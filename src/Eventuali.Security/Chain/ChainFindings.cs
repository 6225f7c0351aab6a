using System.Globalization;

namespace Eventuali.Security.Chain;

/// <summary>Every finding of a verification counted; the first <see cref="EventChainVerifier.MaxListedFindings"/> kept.</summary>
internal sealed class ChainFindings
{
    private readonly List<EventChainFinding> _listed = [];

    public long Count { get; private set; }

    public IReadOnlyList<EventChainFinding> Listed => _listed;

    public void Add(long position, EventChainFindingKind kind, string message)
    {
        Count++;
        if (_listed.Count < EventChainVerifier.MaxListedFindings)
        {
            _listed.Add(new EventChainFinding(position, kind, message));
        }
    }

    public static string Mismatch(long position, Guid eventId, string streamId, long version)
        => $"position {N(position)}: event {eventId} of stream '{streamId}' version {N(version)} does not match the chain (the event was edited or moved, or chain entries up to it were edited, deleted or reordered).";

    public static string EntryMissing(long position, Guid eventId, string streamId)
        => $"position {N(position)}: event {eventId} of stream '{streamId}' has no chain entry (inserted, moved, or its entry deleted).";

    public static string EventMissing(long position)
        => $"position {N(position)}: the sealed event is missing (deleted outside the store's lifecycle operations).";

    public static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
