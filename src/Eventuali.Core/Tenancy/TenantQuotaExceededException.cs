using System.Globalization;

namespace Eventuali.Tenancy;

/// <summary>
/// An append refused because it would take its tenant over a quota (<see cref="TenantQuotas"/>). The check runs inside
/// the append's transaction, before anything is written: nothing of the refused append was stored.
/// </summary>
public sealed class TenantQuotaExceededException : EventualiException
{
    /// <summary>Creates the exception for <paramref name="tenant"/>'s <paramref name="quota"/>.</summary>
    /// <param name="tenant">The tenant whose quota was hit.</param>
    /// <param name="quota">Which quota: <c>events-per-day</c>, <c>streams</c> or <c>bytes</c>.</param>
    /// <param name="limit">The quota's limit.</param>
    /// <param name="current">The tenant's usage before the refused append.</param>
    /// <param name="requested">How much the refused append would have added.</param>
    public TenantQuotaExceededException(TenantId tenant, string quota, long limit, long current, long requested)
        : base(string.Create(CultureInfo.InvariantCulture, $"Tenant '{tenant}' is at its {quota} quota: limit {limit}, current {current}, and this append adds {requested}; nothing was written. Raise the quota ('eventuali tenants config') or wait for the next period."))
    {
        Tenant = tenant;
        Quota = quota;
        Limit = limit;
        Current = current;
        Requested = requested;
    }

    /// <summary>The tenant whose quota was hit.</summary>
    public TenantId Tenant { get; }

    /// <summary>Which quota: <c>events-per-day</c>, <c>streams</c> or <c>bytes</c>.</summary>
    public string Quota { get; }

    /// <summary>The quota's limit.</summary>
    public long Limit { get; }

    /// <summary>The tenant's usage before the refused append.</summary>
    public long Current { get; }

    /// <summary>How much the refused append would have added.</summary>
    public long Requested { get; }
}
