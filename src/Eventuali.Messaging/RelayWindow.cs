using Eventuali.Projections;

namespace Eventuali.Messaging;

/// <summary>A batch the relay sent: its confirmation, the log position it covers and how many messages it holds.</summary>
internal readonly record struct SentBatch(Task Confirmed, long Through, int Messages);

/// <summary>The batches a relay has sent whose confirmation it has not taken yet, oldest first.</summary>
internal sealed class RelayWindow
{
    private readonly Queue<SentBatch> _batches = new();

    public int Count => _batches.Count;

    public bool OldestIsDone => _batches.TryPeek(out var oldest) && oldest.Confirmed.IsCompleted;

    public void Add(SentBatch batch) => _batches.Enqueue(batch);

    /// <summary>Waits for the oldest batch's confirmation and removes it; throws its failure.</summary>
    public async Task<SentBatch> ConfirmOldestAsync()
    {
        var oldest = _batches.Dequeue();
        await oldest.Confirmed.ConfigureAwait(false);
        return oldest;
    }

    /// <summary>
    /// Waits for every batch still outstanding, whatever its outcome, and forgets them: after a failure nothing sent
    /// earlier is still on its way when the relay publishes again from the oldest unconfirmed batch.
    /// </summary>
    public async Task AbandonAsync()
    {
        while (_batches.TryDequeue(out var batch))
        {
            await batch.Confirmed.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}

/// <summary>Where one lead of a route stands: the checkpoint saved, the position confirmed, the save running.</summary>
internal sealed class LeadState(IProjectionLease lease, long saved, TimeSpan retryDelay)
{
    public IProjectionLease Lease { get; } = lease;

    public long Saved { get; set; } = saved;

    /// <summary>The end of the last batch below which every batch was confirmed: the checkpoint never passes it.</summary>
    public long Confirmed { get; set; } = saved;

    public Task<long>? Saving { get; set; }

    public TimeSpan RetryDelay { get; set; } = retryDelay;
}
