using System.Collections.Concurrent;
using System.Diagnostics;
using Eventuali.Typed;

namespace Eventuali.Snapshots;

/// <summary>
/// Snapshot policies per aggregate type and where snapshot problems are reported
/// (<see cref="EventStoreOptions.Snapshots"/>). Aggregates without a policy are never snapshotted
/// automatically, but loads still use snapshots taken by hand.
/// </summary>
public sealed class SnapshotOptions
{
    private readonly ConcurrentDictionary<Type, SnapshotPolicy> _policies = new();

    /// <summary>
    /// Called for every snapshot skipped on load (corrupt, older shape, stale) and every failed snapshot write.
    /// When null, corrupt snapshots and failed writes are written as warnings to <see cref="Trace"/>; expected cases
    /// (an older state shape, another aggregate type, a stale snapshot) are then not reported anywhere.
    /// </summary>
    public Action<SnapshotIssue>? OnIssue { get; init; }

    /// <summary>Sets the policy of <typeparamref name="TAggregate"/>, which must implement <see cref="ISnapshottable{TState}"/>.</summary>
    public SnapshotOptions For<TAggregate>(SnapshotPolicy policy)
        where TAggregate : Aggregate => For(typeof(TAggregate), policy);

    /// <summary>Sets the policy of <paramref name="aggregateType"/>, which must implement <see cref="ISnapshottable{TState}"/>.</summary>
    public SnapshotOptions For(Type aggregateType, SnapshotPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(aggregateType);
        ArgumentNullException.ThrowIfNull(policy);
        if (SnapshotShape.Of(aggregateType) is null)
        {
            throw new ArgumentException($"{aggregateType.FullName} does not implement ISnapshottable<TState>; it cannot have a snapshot policy.", nameof(aggregateType));
        }

        _policies[aggregateType] = policy;
        return this;
    }

    /// <summary>The policy of <paramref name="aggregateType"/>, or null when it has none.</summary>
    public SnapshotPolicy? PolicyFor(Type aggregateType) => _policies.TryGetValue(aggregateType, out var p) ? p : null;

    internal void Report(SnapshotIssue issue)
    {
        if (OnIssue is { } handler)
        {
            handler(issue);
        }
        else if (issue.IsCorruption || issue.Kind == SnapshotIssueKind.WriteFailed)
        {
            Trace.TraceWarning($"Eventuali snapshot of '{issue.StreamId}' at version {issue.Version}: {issue.Message}");
        }
    }
}
