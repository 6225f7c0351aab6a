namespace Eventuali.Projections;

/// <summary>Retrying dead letters an operator asked for: the handler runs again for each, outside the page loop.</summary>
internal sealed partial class ProjectionRunner
{
    private async Task RetryDeadLettersAsync(IProjectionLease lease, ProjectionRow row, CancellationToken ct)
    {
        // A retry is not a replay: side effects the handler skips while replaying run.
        var live = row with { RebuildTarget = null };
        foreach (var letter in await projections.ReadDeadLettersAsync(Name, ct).ConfigureAwait(false))
        {
            if (!letter.RetryRequested)
            {
                continue;
            }

            var recorded = await ReadEventAsync(letter, ct).ConfigureAwait(false);
            string error;
            if (recorded is null)
            {
                error = $"the event at position {letter.Position} is no longer in the log (truncated, archived or deleted); it cannot be retried.";
            }
            else
            {
                try
                {
                    var tx = await lease.BeginAsync(ct).ConfigureAwait(false);
                    await using (tx.ConfigureAwait(false))
                    {
                        await HandleAsync(recorded, live, new ProjectionContext(projection.Name, tx), ct).ConfigureAwait(false);
                        await tx.RemoveDeadLetterAsync(letter.Id, ct).ConfigureAwait(false);
                        await tx.CommitAsync(ct).ConfigureAwait(false);
                    }

                    continue;
                }
                catch (HandlerFailure failure)
                {
                    _lastError = failure.InnerException;
                    error = $"{failure.InnerException!.GetType().Name}: {failure.InnerException.Message}";
                }
            }

            // Parking the same event again replaces the dead letter and clears its retry request.
            var again = await lease.BeginAsync(ct).ConfigureAwait(false);
            await using (again.ConfigureAwait(false))
            {
                await again.ParkAsync(recorded ?? Placeholder(letter), error, letter.Attempts + 1, ct).ConfigureAwait(false);
                await again.CommitAsync(ct).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask<RecordedEvent?> ReadEventAsync(DeadLetter letter, CancellationToken ct)
    {
        await foreach (var e in store.ReadAllAsync(letter.Position, 1, null, ct).ConfigureAwait(false))
        {
            return e.Position == letter.Position && e.EventId == letter.EventId ? e : null;
        }

        return null;
    }

    // Parking needs only the event's identity, which the dead letter still has.
    private static RecordedEvent Placeholder(DeadLetter d)
        => new(d.StreamId, d.StreamVersion, d.Position, d.EventId, d.EventType, ReadOnlyMemory<byte>.Empty, EventMetadata.Empty, d.ParkedAt, "application/json");
}
