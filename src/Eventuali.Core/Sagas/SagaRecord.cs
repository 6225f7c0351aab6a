namespace Eventuali.Sagas;

/// <summary>A stored saga instance.</summary>
/// <param name="SagaName">The saga (its definition's name).</param>
/// <param name="SagaId">The instance: the correlation id its events map to.</param>
/// <param name="Version">Optimistic-concurrency version; 1 after the first save.</param>
/// <param name="State">The state as JSON.</param>
/// <param name="LastPosition">Global position of the last event this instance handled (0: none), so a re-delivered event is recognised.</param>
/// <param name="Completed">Whether the instance finished; later events are ignored.</param>
/// <param name="Outbox">Appends decided but not yet confirmed written (runner-private JSON), or null.</param>
/// <param name="UpdatedAt">When the instance was last saved (the store's clock).</param>
public sealed record SagaRecord(
    string SagaName,
    string SagaId,
    long Version,
    string State,
    long LastPosition,
    bool Completed,
    string? Outbox,
    DateTimeOffset UpdatedAt);

/// <summary>One save of a saga instance: state, outbox and timeout changes, applied together or not at all.</summary>
public sealed record SagaWrite(
    string SagaName,
    string SagaId,
    long ExpectedVersion,
    string State,
    long LastPosition,
    bool Completed,
    string? Outbox)
{
    /// <summary>Timeouts to add or replace (by key).</summary>
    public IReadOnlyList<SagaTimeout> Schedule { get; init; } = [];

    /// <summary>Keys of this instance's timeouts to remove. Removals apply before <see cref="Schedule"/>.</summary>
    public IReadOnlyList<string> Cancel { get; init; } = [];
}

/// <summary>A timeout scheduled by a saga instance.</summary>
/// <param name="SagaName">The saga.</param>
/// <param name="SagaId">The instance.</param>
/// <param name="Key">Its name within the instance; scheduling the same key again replaces it.</param>
/// <param name="TimeoutId">A deterministic id; the events the timeout produces derive their ids from it.</param>
/// <param name="DueAt">When it fires (UTC, microsecond precision).</param>
/// <param name="Data">Optional JSON given when it was scheduled.</param>
public sealed record SagaTimeout(string SagaName, string SagaId, string Key, Guid TimeoutId, DateTimeOffset DueAt, string? Data);
