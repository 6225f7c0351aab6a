using Eventuali.Diagnostics;

namespace Eventuali.Projections;

/// <summary>Applying a page: one transaction for the whole page; after a handler failure, one event at a time with retries.</summary>
internal sealed partial class ProjectionRunner
{
    private async Task ApplyPageAsync(IProjectionLease lease, ProjectionRow row, List<RecordedEvent> page, long through, CancellationToken ct)
    {
        using var span = ConsumerTelemetry.StartBatch(EventualiOperations.Project, EventualiAttributes.ProjectionName, Name, page, static e => e);
        try
        {
            var tx = await lease.BeginAsync(ct).ConfigureAwait(false);
            await using (tx.ConfigureAwait(false))
            {
                var context = new ProjectionContext(projection.Name, tx);
                foreach (var e in page)
                {
                    await HandleAsync(e, row, context, ct).ConfigureAwait(false);
                }

                await tx.SaveProgressAsync(new ProjectionProgress(through, StateAt(row, through), null, TargetAt(row, through)), ct).ConfigureAwait(false);
                await tx.CommitAsync(ct).ConfigureAwait(false);
            }
        }
        catch (HandlerFailure)
        {
            // Rolled back whole; find the failing event by going one at a time.
            await ApplyOneByOneAsync(lease, row, page, ct).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ConsumerTelemetry.Fail(span, ex);
            throw;
        }
    }

    private async Task ApplyOneByOneAsync(IProjectionLease lease, ProjectionRow row, List<RecordedEvent> page, CancellationToken ct)
    {
        var policy = projection.FailurePolicy;
        foreach (var e in page)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var tx = await lease.BeginAsync(ct).ConfigureAwait(false);
                    await using (tx.ConfigureAwait(false))
                    {
                        await HandleAsync(e, row, new ProjectionContext(projection.Name, tx), ct).ConfigureAwait(false);
                        await tx.SaveProgressAsync(new ProjectionProgress(e.Position, StateAt(row, e.Position), null, TargetAt(row, e.Position)), ct).ConfigureAwait(false);
                        await tx.CommitAsync(ct).ConfigureAwait(false);
                    }

                    break;
                }
                catch (HandlerFailure failure)
                {
                    _lastError = failure.InnerException;
                    if (attempt < Math.Max(1, policy.MaxAttempts))
                    {
                        await Task.Delay(policy.Backoff(attempt), options.TimeProvider, ct).ConfigureAwait(false);
                        continue;
                    }

                    var error = $"{failure.InnerException!.GetType().Name}: {failure.InnerException.Message}";
                    if (policy.OnFailure == ProjectionFailureAction.Stop)
                    {
                        var before = e.Position - 1;
                        await SaveAsync(lease, new ProjectionProgress(Math.Max(before, 0), ProjectionState.Faulted, $"event at position {e.Position} ({e.EventType}{ProjectionErasureResult.StreamMention(e.StreamId)}{attempt} time(s): {error}", row.RebuildTarget), ct).ConfigureAwait(false);
                        return;
                    }

                    var tx = await lease.BeginAsync(ct).ConfigureAwait(false);
                    await using (tx.ConfigureAwait(false))
                    {
                        await tx.ParkAsync(e, error, attempt, ct).ConfigureAwait(false);
                        await tx.SaveProgressAsync(new ProjectionProgress(e.Position, StateAt(row, e.Position), null, TargetAt(row, e.Position)), ct).ConfigureAwait(false);
                        await tx.CommitAsync(ct).ConfigureAwait(false);
                    }

                    Telemetry.DeadLetters.Add(1, new KeyValuePair<string, object?>(EventualiAttributes.ProjectionName, Name));

                    break;
                }
            }
        }
    }

    private async ValueTask HandleAsync(RecordedEvent e, ProjectionRow row, ProjectionContext context, CancellationToken ct)
    {
        context.IsReplaying = row.RebuildTarget is { } target && e.Position <= target;
        context.Applying(e);
        try
        {
            await projection.ApplyAsync(e, context, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new HandlerFailure(ex);
        }
    }

    /// <summary>Marks an exception thrown by the projection's own code (as opposed to the store's).</summary>
    private sealed class HandlerFailure(Exception inner) : Exception(inner.Message, inner);
}
