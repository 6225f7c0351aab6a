namespace Eventuali.Projections;

/// <summary>What a projection is doing, as stored in the projection state table.</summary>
public enum ProjectionState
{
    /// <summary>Applying events (or waiting for new ones).</summary>
    Running,

    /// <summary>No node runs it (its daemon was stopped, or it has never run).</summary>
    Stopped,

    /// <summary>An event failed past its retries under <see cref="ProjectionFailureAction.Stop"/>; see the error.</summary>
    Faulted,

    /// <summary>Replaying from a requested position until it reaches the head recorded when the rebuild began.</summary>
    Rebuilding,
}

/// <summary>Text form of <see cref="ProjectionState"/> as stored.</summary>
public static class ProjectionStates
{
    /// <summary>The stored text of <paramref name="state"/>.</summary>
    public static string ToText(ProjectionState state) => state switch
    {
        ProjectionState.Running => "running",
        ProjectionState.Stopped => "stopped",
        ProjectionState.Faulted => "faulted",
        ProjectionState.Rebuilding => "rebuilding",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown projection state."),
    };

    /// <summary>Reads a stored state; throws <see cref="FormatException"/> for unknown text.</summary>
    public static ProjectionState Parse(string text) => text switch
    {
        "running" => ProjectionState.Running,
        "stopped" => ProjectionState.Stopped,
        "faulted" => ProjectionState.Faulted,
        "rebuilding" => ProjectionState.Rebuilding,
        _ => throw new FormatException($"Unknown stored projection state '{text}'."),
    };
}
