using System.Runtime.CompilerServices;

namespace Eventuali.Tools.Debugging;

/// <summary>Steps a stepper through one stream, event by event, yielding the state after each and the diff to the one before.</summary>
public static class StreamDebugger
{
    /// <summary>
    /// Applies the events of <paramref name="streamId"/> up to <paramref name="toVersion"/> to <paramref name="stepper"/>,
    /// yielding one <see cref="DebugStep"/> per event. A stream that does not exist yields nothing.
    /// </summary>
    public static async IAsyncEnumerable<DebugStep> StepAsync(IEventStore store, string streamId, IStateStepper stepper, long toVersion = long.MaxValue, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(streamId);
        ArgumentNullException.ThrowIfNull(stepper);
        ArgumentOutOfRangeException.ThrowIfLessThan(toVersion, 1);
        var previous = stepper.InitialState;
        await foreach (var e in store.ReadStreamAsync(streamId, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (e.StreamVersion > toVersion)
            {
                yield break;
            }

            var outcome = await stepper.ApplyAsync(e, cancellationToken).ConfigureAwait(false);
            yield return new DebugStep(e, outcome.Handler, outcome.State, JsonDiff.Compare(previous, outcome.State));
            previous = outcome.State;
        }
    }
}
