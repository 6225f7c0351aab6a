namespace Eventuali.Tools.Debugging;

/// <summary>One step of a debugging session: the event applied, who applied it, the state after it and what changed.</summary>
/// <param name="Event">The event applied.</param>
/// <param name="Handler">The handler that applied it (e.g. <c>BankAccount.Apply(Deposited)</c>), or a note that none did.</param>
/// <param name="State">The state after the event, as JSON.</param>
/// <param name="Changes">How <paramref name="State"/> differs from the state before the event.</param>
public sealed record DebugStep(RecordedEvent Event, string Handler, string State, IReadOnlyList<JsonChange> Changes);

/// <summary>What happened at one JSON path between two states.</summary>
public enum JsonChangeKind
{
    /// <summary>The path did not exist before.</summary>
    Added,

    /// <summary>The path no longer exists.</summary>
    Removed,

    /// <summary>The value at the path changed.</summary>
    Changed,
}

/// <summary>One difference between two JSON states.</summary>
/// <param name="Path">A JSONPath such as <c>$.balance</c> or <c>$.items[2]</c>.</param>
/// <param name="Kind">Added, removed or changed.</param>
/// <param name="Before">The old value as JSON (null when added).</param>
/// <param name="After">The new value as JSON (null when removed).</param>
public sealed record JsonChange(string Path, JsonChangeKind Kind, string? Before, string? After);

/// <summary>What applying one event did, as a stepper reports it.</summary>
/// <param name="Handler">The handler that applied it, or a note that none did.</param>
/// <param name="State">The state after it, as JSON.</param>
public readonly record struct StepOutcome(string Handler, string State);

/// <summary>
/// Something a debugger can step through a stream: an aggregate (<see cref="AggregateStepper"/>), a projection
/// (<see cref="ProjectionStepper"/>) or the raw payloads (<see cref="PayloadStepper"/>).
/// </summary>
public interface IStateStepper
{
    /// <summary>What is being stepped, for display.</summary>
    string Name { get; }

    /// <summary>The state before the first event, as JSON.</summary>
    string InitialState { get; }

    /// <summary>Applies one event and reports the handler and the state after it.</summary>
    ValueTask<StepOutcome> ApplyAsync(RecordedEvent recorded, CancellationToken cancellationToken = default);
}
