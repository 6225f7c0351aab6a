namespace Eventuali.Tenancy;

/// <summary>
/// The storage-independent part of usage metering and quota enforcement, shared by every backend's tenant store: the
/// UTC day usage is bucketed by, what an append counts, and the decision to refuse it. A backend reads the tenant's
/// totals under its write lock, calls <see cref="Check"/> before writing anything, and adds the append's counts in the
/// same transaction.
/// </summary>
public static class TenantQuotaRules
{
    /// <summary>The <c>events-per-day</c> quota: events appended in one UTC day.</summary>
    public const string EventsPerDay = "events-per-day";

    /// <summary>The <c>streams</c> quota: streams created over the tenant's life.</summary>
    public const string Streams = "streams";

    /// <summary>The <c>bytes</c> quota: event payload bytes appended over the tenant's life.</summary>
    public const string Bytes = "bytes";

    private static readonly int EpochDay = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    /// <summary>The UTC day number (days since 1970-01-01) that usage at <paramref name="at"/> is counted in.</summary>
    public static long DayOf(DateTimeOffset at) => DayOf(DateOnly.FromDateTime(at.UtcDateTime));

    /// <summary>The day number (days since 1970-01-01) of <paramref name="day"/>.</summary>
    public static long DayOf(DateOnly day) => day.DayNumber - EpochDay;

    /// <summary>The payload bytes an append counts: the sum of <see cref="EventData.Data"/> lengths, metadata excluded.</summary>
    public static long PayloadBytes(IReadOnlyList<EventData> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        long bytes = 0;
        for (var i = 0; i < events.Count; i++)
        {
            bytes += events[i].Data.Length;
        }

        return bytes;
    }

    /// <summary>
    /// Throws <see cref="TenantQuotaExceededException"/> when an append of <paramref name="events"/> (creating a
    /// stream when <paramref name="newStream"/>) would take <paramref name="tenant"/> past one of
    /// <paramref name="quotas"/>, given its usage before the append: <paramref name="current"/>. Quotas are checked
    /// in a fixed order (events per day, streams, bytes); a quota the append adds nothing to never refuses it.
    /// </summary>
    public static void Check(TenantId tenant, TenantQuotas quotas, TenantUsageTotals current, IReadOnlyList<EventData> events, bool newStream)
    {
        ArgumentNullException.ThrowIfNull(quotas);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(events);
        Refuse(tenant, EventsPerDay, quotas.MaxEventsPerDay, current.EventsToday, events.Count);
        Refuse(tenant, Streams, quotas.MaxStreams, current.Streams, newStream ? 1 : 0);
        Refuse(tenant, Bytes, quotas.MaxBytes, current.Bytes, quotas.MaxBytes is null ? 0 : PayloadBytes(events));
    }

    private static void Refuse(TenantId tenant, string quota, long? limit, long current, long requested)
    {
        if (limit is { } max && requested > 0 && current + requested > max)
        {
            throw new TenantQuotaExceededException(tenant, quota, max, current, requested);
        }
    }
}

/// <summary>What a tenant's quotas are checked against: its usage before an append.</summary>
/// <param name="EventsToday">Events appended in the current UTC day.</param>
/// <param name="Streams">Streams created over the tenant's life.</param>
/// <param name="Bytes">Event payload bytes appended over the tenant's life.</param>
public sealed record TenantUsageTotals(long EventsToday, long Streams, long Bytes);
