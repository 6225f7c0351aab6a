namespace Eventuali.Lifecycle;

/// <summary>
/// What a store keeps of every stream (<see cref="EventStoreOptions.Retention"/>), applied by the maintenance call
/// <see cref="StreamRetention.ApplyStoreRetentionAsync"/>, never on append. A tenant's stored retention
/// (<see cref="Tenancy.TenantConfiguration.Retention"/>) becomes its store's.
/// </summary>
/// <param name="MaxCount">Keep at most this many newest events per stream (at least 1; null: no count limit).</param>
/// <param name="MaxAge">Remove events older than this (positive; null: no age limit).</param>
public sealed record StoreRetention(int? MaxCount = null, TimeSpan? MaxAge = null)
{
    /// <summary>Throws <see cref="EventStoreConfigurationException"/> naming what is wrong.</summary>
    public void Validate()
    {
        if (MaxCount is null && MaxAge is null)
        {
            throw new EventStoreConfigurationException("A store retention needs a max count, a max age or both.");
        }

        if (MaxCount < 1)
        {
            throw new EventStoreConfigurationException($"A store retention's max count must be at least 1; got {MaxCount}.");
        }

        if (MaxAge <= TimeSpan.Zero)
        {
            throw new EventStoreConfigurationException($"A store retention's max age must be positive; got {MaxAge}.");
        }
    }
}
