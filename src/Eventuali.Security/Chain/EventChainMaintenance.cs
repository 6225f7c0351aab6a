using Eventuali.Security.Keys;

namespace Eventuali.Security.Chain;

/// <summary>How often <see cref="EventChainMaintenance"/> seals and signs.</summary>
/// <param name="SealInterval">Time between sealings: the longest an appended event stays unsealed (the window in which a writer with database access could change it unnoticed).</param>
/// <param name="CheckpointInterval">Time between signed checkpoints stored in the database (only when the sealed head moved).</param>
public sealed record EventChainMaintenanceOptions(TimeSpan SealInterval, TimeSpan CheckpointInterval)
{
    /// <summary>Seal every 5 seconds, sign a checkpoint every 10 minutes.</summary>
    public static EventChainMaintenanceOptions Default { get; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(10));
}

/// <summary>
/// Background upkeep of the tamper-evident log: seals on a timer and, with a signer, stores a signed checkpoint
/// periodically. Host it (for example in a hosted service) for as long as the application appends.
/// </summary>
public static class EventChainMaintenance
{
    /// <summary>Seals and signs on the intervals of <paramref name="options"/> until <paramref name="cancellationToken"/> is cancelled.</summary>
    public static async Task RunAsync(IEventStore store, ICheckpointSigner? signer, EventChainMaintenanceOptions? options = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        options ??= EventChainMaintenanceOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.SealInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.CheckpointInterval, TimeSpan.Zero);
        var time = timeProvider ?? TimeProvider.System;
        var sealer = new EventChainSealer(store);
        var lastCheckpoint = time.GetTimestamp();
        long signedHead = (await EventChainCheckpoints.ReadLatestAsync(store, cancellationToken).ConfigureAwait(false))?.Position ?? 0;
        using var timer = new PeriodicTimer(options.SealInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var head = await sealer.SealAsync(cancellationToken).ConfigureAwait(false);
                if (signer is not null && head is not null && head.Position > signedHead && time.GetElapsedTime(lastCheckpoint) >= options.CheckpointInterval)
                {
                    signedHead = (await EventChainCheckpoints.CreateAsync(store, signer, time, cancellationToken).ConfigureAwait(false))?.Position ?? signedHead;
                    lastCheckpoint = time.GetTimestamp();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the normal end.
        }
    }
}
