namespace Eventuali.Tenancy;

/// <summary>The checks every <see cref="ITenantAdministration"/> runs on what it is given, with errors naming what was wrong.</summary>
public static class TenantConfigurationRules
{
    /// <summary>Throws <see cref="EventStoreConfigurationException"/> when a quota is negative, the durability unknown or the tier malformed.</summary>
    public static void Validate(TenantConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.Durability is { } durability && !Enum.IsDefined(durability))
        {
            throw new EventStoreConfigurationException($"Unknown durability {(int)durability} in the tenant configuration; expected Full or Relaxed.");
        }

        if (configuration.Tier is { } tier && !IsTier(tier))
        {
            throw new EventStoreConfigurationException("A tenant's tier must be 1 to 32 lower-case letters, digits, hyphens or underscores (it becomes a metric label).");
        }

        configuration.Retention?.Validate();
        if (configuration.Retention?.MaxAge is { } age && age.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new EventStoreConfigurationException($"A tenant's retention max age is kept in whole seconds; got {age}.");
        }

        if (configuration.SnapshotEveryEvents < 1)
        {
            throw new EventStoreConfigurationException($"A tenant's snapshot interval must be at least 1 event; got {configuration.SnapshotEveryEvents}.");
        }

        if (configuration.Quotas is { } q)
        {
            NotNegative("max-events-per-day", q.MaxEventsPerDay);
            NotNegative("max-streams", q.MaxStreams);
            NotNegative("max-bytes", q.MaxBytes);
        }
    }

    /// <summary>Throws <see cref="EventStoreConfigurationException"/> when <paramref name="from"/> is after <paramref name="to"/>.</summary>
    public static void ValidateRange(DateOnly? from, DateOnly? to)
    {
        if (from > to)
        {
            throw new EventStoreConfigurationException($"The usage range starts after it ends: from {from:yyyy-MM-dd} is after to {to:yyyy-MM-dd}.");
        }
    }

    /// <summary>Whether <paramref name="tier"/> follows the tier rules: 1 to 32 of <c>a-z 0-9 - _</c>.</summary>
    public static bool IsTier(string tier)
        => tier is { Length: >= 1 and <= 32 } && tier.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_');

    private static void NotNegative(string quota, long? value)
    {
        if (value < 0)
        {
            throw new EventStoreConfigurationException($"The {quota} quota must be 0 or more (0 refuses every append it counts); got {value}.");
        }
    }
}
