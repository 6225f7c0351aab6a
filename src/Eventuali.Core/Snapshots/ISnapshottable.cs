namespace Eventuali.Snapshots;

/// <summary>
/// Opts an aggregate into snapshots: it hands out its state as a plain value (serialized with
/// System.Text.Json) and takes it back on load. Mark the aggregate with <see cref="SnapshotSchemaAttribute"/>
/// and raise its number whenever <typeparamref name="TState"/> changes shape: older snapshots are then
/// ignored and the aggregate is rebuilt from its events.
/// </summary>
/// <typeparam name="TState">A value System.Text.Json can round-trip.</typeparam>
public interface ISnapshottable<TState>
{
    /// <summary>The aggregate's state now. Must not share mutable objects the aggregate changes later.</summary>
    TState CaptureSnapshot();

    /// <summary>Restores the state of a new instance; events after the snapshot are applied afterwards.</summary>
    void RestoreSnapshot(TState state);
}

/// <summary>The shape version of an aggregate's snapshot state (1 when absent).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class SnapshotSchemaAttribute : Attribute
{
    /// <summary>Marks the aggregate's snapshot state shape with <paramref name="version"/>.</summary>
    public SnapshotSchemaAttribute(int version)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        Version = version;
    }

    /// <summary>The snapshot state shape version.</summary>
    public int Version { get; }
}
