namespace Eventuali.Messaging;

/// <summary>The relay's window: sending batches, taking their confirmations in order, recovering from a failed one.</summary>
public sealed partial class EventRelay
{
    /// <summary>Sends a batch into the window. False: the broker refused it (the relay recovers).</summary>
    private async Task<bool> SendAsync(RelayWindow window, OutboundMessage[] messages, long through, CancellationToken ct)
    {
        try
        {
            var confirmed = await _publisher.SendAsync(messages, ct).ConfigureAwait(false);
            window.Add(new SentBatch(confirmed, through, messages.Length));
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not BrokerConfigurationException && !ct.IsCancellationRequested)
        {
            _lastError = ex;
            return false;
        }
    }

    /// <summary>
    /// Takes confirmations oldest first until <paramref name="keep"/> batches are left (with <paramref name="onlyDone"/>,
    /// only those already in), moving the confirmed position and starting a checkpoint save when none is running.
    /// False: a batch failed; the ones after it are not counted as confirmed even when the broker confirmed them.
    /// </summary>
    private async Task<bool> ConfirmAsync(RelayWindow window, LeadState lead, int keep, bool onlyDone, CancellationToken ct)
    {
        while (window.Count > keep && (!onlyDone || window.OldestIsDone))
        {
            SentBatch batch;
            try
            {
                batch = await window.ConfirmOldestAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException and not BrokerConfigurationException && !ct.IsCancellationRequested)
            {
                _lastError = ex;
                return false;
            }

            Interlocked.Add(ref _published, batch.Messages);
            _isPaused = false;
            lead.RetryDelay = _options.RetryDelay;
            lead.Confirmed = batch.Through;
            if (lead.Saving is null || lead.Saving.IsCompleted)
            {
                if (lead.Saving is not null)
                {
                    lead.Saved = await lead.Saving.ConfigureAwait(false);
                }

                ct.ThrowIfCancellationRequested();
                var (from, to) = (lead.Saved, lead.Confirmed);
                lead.Saving = Task.Run(() => SaveAsync(lead.Lease, from, to, ct), ct);
            }
        }

        return true;
    }

    /// <summary>
    /// After a failed batch: saves the checkpoint of what was confirmed before it, waits for every other batch out and
    /// the read ahead, backs off (the broker is down or refusing: back-pressure falls on the relay only), then reads
    /// again from the oldest unconfirmed batch.
    /// </summary>
    private async Task<Task<RelayPage>> RecoverAsync(RelayPageReader reader, RelayWindow window, LeadState lead, Task<RelayPage> next, CancellationToken ct)
    {
        if (lead.Saving is not null)
        {
            lead.Saved = await lead.Saving.ConfigureAwait(false);
            lead.Saving = null;
        }

        if (lead.Confirmed != lead.Saved)
        {
            lead.Saved = await SaveAsync(lead.Lease, lead.Saved, lead.Confirmed, ct).ConfigureAwait(false);
        }

        _isPaused = true;
        await window.AbandonAsync().ConfigureAwait(false);
        await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Task.Delay(lead.RetryDelay, _options.TimeProvider, ct).ConfigureAwait(false);
        lead.RetryDelay = TimeSpan.FromTicks(Math.Min(lead.RetryDelay.Ticks * 2, _options.MaxRetryDelay.Ticks));
        return reader.ReadAsync(lead.Confirmed, ct);
    }
}
