using Eventuali.Projections;

namespace Eventuali.Hosting.Tests;

/// <summary>Counts "placed" events per stream; waits at <see cref="Gate"/> before each one when a gate is given.</summary>
internal sealed class GatedProjection : Projection
{
    public GatedProjection(TaskCompletionSource? gate = null)
        : base("orders")
    {
        On("placed", async (e, context, ct) =>
        {
            if (gate is not null)
            {
                await gate.Task.WaitAsync(ct);
            }

            await context.Documents.PutAsync(e.StreamId, """{"placed":true}""", ct);
        });
    }
}

/// <summary>Parks every "poison" event as a dead letter after one attempt.</summary>
internal sealed class PoisonProjection : Projection
{
    public PoisonProjection()
        : base("poison-sensitive")
    {
        FailurePolicy = new ProjectionFailurePolicy { MaxAttempts = 1, OnFailure = ProjectionFailureAction.DeadLetter };
        On("placed", (e, context, ct) => context.Documents.PutAsync(e.StreamId, "{}", ct));
        On("poison", (_, _, _) => throw new InvalidOperationException("this event cannot be applied"));
    }
}
