using System.Globalization;


using Eventuali.Projections;

namespace Eventuali.Extensibility;

/// <summary>Checks every backend makes on operator requests (projection rebuilds, dead-letter retries and deletes) before recording them.</summary>
public static class ProjectionRequests
{
    /// <summary>
    /// A rebuild may start at most at the head: from above it, events appended up to the position would be passed
    /// over for good while the status showed the projection caught up.
    /// </summary>
    public static async ValueTask EnsureRebuildWithinHeadAsync(IEventStore store, string name, long fromPosition, CancellationToken ct)
    {
        ProjectionPartitions.ValidateLeaseName(name);
        ArgumentOutOfRangeException.ThrowIfNegative(fromPosition);
        var head = await store.GetHeadPositionAsync(ct).ConfigureAwait(false);
        if (fromPosition > head)
        {
            throw new ArgumentOutOfRangeException(nameof(fromPosition), fromPosition, string.Create(CultureInfo.InvariantCulture,
                $"Cannot replay projection '{name}' from position {fromPosition}: the head of the log is at {head}, and events appended up to {fromPosition} would never be projected. Use a position from 0 to {head}."));
        }
    }

    /// <summary>Validates a dead-letter selection: a projection name and, when given, a positive id.</summary>
    public static void ValidateDeadLetter(string projection, long? id)
    {
        ProjectionPartitions.ValidateLeaseName(projection);
        if (id is { } value)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value, nameof(id));
        }
    }
}
