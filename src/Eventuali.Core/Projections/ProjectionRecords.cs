namespace Eventuali.Projections;

/// <summary>
/// A projection's stored row. <see cref="RequestedFrom"/> is a rebuild asked for (by the CLI or
/// <see cref="IProjectionStore.RequestProjectionRebuildAsync"/>) that the daemon has not yet honoured;
/// <see cref="RebuildTarget"/> is the head position recorded when the current rebuild began.
/// </summary>
public sealed record ProjectionRow(
    string Name,
    long Position,
    ProjectionState State,
    string? Error,
    string? Owner,
    long? RebuildTarget,
    long? RequestedFrom,
    long RequestSequence,
    long DeadLetters,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Dead letters an operator asked the daemon to retry (<see cref="IProjectionStore.RequestDeadLetterRetryAsync"/>) that it has not yet retried.</summary>
    public long RetryRequests { get; init; }
}

/// <summary>A projection's status: its row plus how far it is behind the head of the log.</summary>
public sealed record ProjectionStatus(
    string Name,
    long Position,
    long HeadPosition,
    ProjectionState State,
    string? Error,
    string? Owner,
    long DeadLetters,
    long? RebuildRequestedFrom,
    DateTimeOffset UpdatedAt)
{
    /// <summary>
    /// Positions between the projection and the head (0 only when it is exactly at the head). A position above the head
    /// counts too: events appended up to it would be passed over, so such a projection is never reported caught up.
    /// </summary>
    public long Lag => Math.Abs(HeadPosition - Position);

    /// <summary>Whether the stored position is above the head of the log (see <see cref="Lag"/>).</summary>
    public bool IsAheadOfHead => Position > HeadPosition;

    /// <summary>Caught up: running, no rebuild pending, at the head.</summary>
    public bool IsCaughtUp => State == ProjectionState.Running && RebuildRequestedFrom is null && Position == HeadPosition;

    /// <summary>The status of a stored projection row against the log's current <paramref name="head"/> position.</summary>
    public static ProjectionStatus From(ProjectionRow row, long head)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.Name, row.Position, head, row.State, row.Error, row.Owner, row.DeadLetters, row.RequestedFrom, row.UpdatedAt);
    }
}

/// <summary>
/// An event a projection could not apply, parked with the error instead of stopping the projection. There is at most
/// one per projection and event: parking the same event again replaces it. <see cref="Id"/> names it for
/// <see cref="IProjectionStore.RequestDeadLetterRetryAsync"/> and <see cref="IProjectionStore.DeleteDeadLettersAsync"/>;
/// <see cref="RetryRequested"/> is set while a retry asked for is pending.
/// </summary>
public sealed record DeadLetter(
    string Projection,
    long Position,
    string StreamId,
    long StreamVersion,
    Guid EventId,
    string EventType,
    string Error,
    int Attempts,
    DateTimeOffset ParkedAt,
    long Id = 0,
    bool RetryRequested = false);

/// <summary>A document of the built-in read-model table: key to JSON text.</summary>
public sealed record ProjectionDocument(string Key, string Json);

/// <summary>What one projection transaction records about progress.</summary>
/// <param name="Position">The position applied through.</param>
/// <param name="State">The state to store.</param>
/// <param name="Error">The error to store (null clears it).</param>
/// <param name="RebuildTarget">The head a running rebuild aims for (null when none).</param>
/// <param name="HonouredRequest">When honouring a rebuild request: the request sequence seen; the request is cleared only if unchanged.</param>
public readonly record struct ProjectionProgress(long Position, ProjectionState State, string? Error, long? RebuildTarget, long? HonouredRequest = null);
