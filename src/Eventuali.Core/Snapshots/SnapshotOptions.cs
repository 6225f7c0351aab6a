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
    private SnapshotPolicy? _default;

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

    /// <summary>
    /// The policy of <paramref name="aggregateType"/>: its own, else the one every aggregate type gets
    /// (<see cref="WithEveryEvents"/>), else null.
    /// </summary>
    public SnapshotPolicy? PolicyFor(Type aggregateType) => _policies.TryGetValue(aggregateType, out var p) ? p : _default;

    /// <summary>
    /// A copy whose policies all take a snapshot every <paramref name="events"/> events (their other settings kept),
    /// and in which every snapshottable aggregate type without a policy gets <see cref="SnapshotPolicy.Every"/>. A
    /// tenant's stored snapshot interval (<see cref="Tenancy.TenantConfiguration.SnapshotEveryEvents"/>) is applied so.
    /// </summary>
    public SnapshotOptions WithEveryEvents(int events)
    {
        var copy = new SnapshotOptions { OnIssue = OnIssue, _default = SnapshotPolicy.Every(events) };
        foreach (var (type, policy) in _policies)
        {
            copy._policies[type] = policy with { EveryEvents = events };
        }

        return copy;
    }

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
