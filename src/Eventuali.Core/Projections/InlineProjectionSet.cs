using Eventuali.Projections;

namespace Eventuali.Extensibility;

/// <summary>A store's inline projections (copy on write) and the synchronous run of their handlers inside an append.</summary>
public sealed class InlineProjectionSet
{
    private readonly Projection[] _projections;

    private InlineProjectionSet(Projection[] projections) => _projections = projections;

    /// <summary>A set with <paramref name="projection"/> added to <paramref name="current"/> (a name registered twice is refused).</summary>
    public static InlineProjectionSet With(InlineProjectionSet? current, Projection projection)
    {
        ArgumentNullException.ThrowIfNull(projection);
        if (projection.EventTypes.Count == 0)
        {
            throw new ArgumentException($"Projection '{projection.Name}' handles no event type; register handlers with On(...).", nameof(projection));
        }

        if (current?._projections.Any(p => p.Name == projection.Name) == true)
        {
            throw new ArgumentException($"An inline projection named '{projection.Name}' is already registered.", nameof(projection));
        }

        return new InlineProjectionSet([.. current?._projections ?? [], projection]);
    }

    /// <summary>Whether any inline projection handles any of these event types (cheap pre-check before building records).</summary>
    public bool AnyHandles(string streamId, IReadOnlyList<EventData> events)
    {
        foreach (var p in _projections)
        {
            foreach (var e in events)
            {
                if (p.Handles(streamId, e.EventType))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Runs every inline projection over the appended events in the caller's transaction and records each one's
    /// position; throws <see cref="InlineProjectionException"/> (the caller rolls back) when a handler fails.
    /// Synchronous form, for writers that hold a lock (their document calls complete synchronously).
    /// </summary>
    public void Run(IReadOnlyList<RecordedEvent> events, Func<Projection, IProjectionTransaction> transactionFor)
        => Wait(RunAsync(events, transactionFor, CancellationToken.None));

    /// <summary>Applies <paramref name="events"/> to every inline projection inside the append's transaction, through the transaction <paramref name="transactionFor"/> gives each projection.</summary>
    public async ValueTask RunAsync(IReadOnlyList<RecordedEvent> events, Func<Projection, IProjectionTransaction> transactionFor, CancellationToken ct)
    {
        foreach (var p in _projections)
        {
            IProjectionTransaction? tx = null;
            ProjectionContext? context = null;
            long last = 0;
            foreach (var e in events)
            {
                if (!p.Handles(e.StreamId, e.EventType))
                {
                    continue;
                }

                tx ??= transactionFor(p);
                context ??= new ProjectionContext(p.Name, tx) { IsInline = true };
                context.Applying(e);
                try
                {
                    await p.ApplyAsync(e, context, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
                {
                    throw new InlineProjectionException(p.Name, e, ex);
                }

                last = e.Position;
            }

            if (tx is not null)
            {
                await tx.SaveProgressAsync(new ProjectionProgress(last, ProjectionState.Running, null, null), ct).ConfigureAwait(false);
            }
        }
    }

    private static void Wait(ValueTask task)
    {
        if (task.IsCompletedSuccessfully)
        {
            return;
        }

        task.AsTask().GetAwaiter().GetResult();
    }
}
