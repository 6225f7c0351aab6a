namespace Eventuali.Projections;

/// <summary>
/// How long a singleton worker's lease (a projection, a partition, a relay) lasts without renewal. The holder renews it
/// every third of <see cref="Duration"/> on a connection of its own; a holder that stops renewing (killed, paused,
/// cut off) loses it once <see cref="Duration"/> has passed, and another node takes it with a higher epoch.
/// </summary>
public sealed record LeaseOptions
{
    /// <summary>The default: 8 seconds, so a standby polling every second takes over within 10 seconds.</summary>
    public static LeaseOptions Default { get; } = new();

    /// <summary>How long the lease lasts after its last renewal (at least 1 second).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>How often the holder renews: a third of <see cref="Duration"/>, so two renewals may fail before it expires.</summary>
    public TimeSpan RenewInterval => Duration / 3;

    /// <summary>Throws when <see cref="Duration"/> is below one second.</summary>
    public void Validate()
    {
        if (Duration < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(Duration), Duration, "A lease must last at least one second.");
        }
    }
}
