namespace Eventuali.Projections;

/// <summary>Helpers over <see cref="IProjectionStore"/>.</summary>
public static class ProjectionStoreExtensions
{
    /// <summary>The store as <see cref="IProjectionStore"/>, or NotSupportedException naming its type.</summary>
    public static IProjectionStore GetProjectionStore(this IEventStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.GetFeature<IProjectionStore>() ?? throw new NotSupportedException($"The store type '{store.GetType().FullName}' does not support projections.");
    }

    /// <summary>Every projection's status, with lag to the current head.</summary>
    public static async ValueTask<IReadOnlyList<ProjectionStatus>> GetProjectionStatusesAsync(this IEventStore store, CancellationToken cancellationToken = default)
    {
        var rows = await store.GetProjectionStore().ListProjectionsAsync(cancellationToken).ConfigureAwait(false);
        var head = await store.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => ProjectionStatus.From(r, head))];
    }

    /// <summary>One projection's status, or null when it has never run.</summary>
    public static async ValueTask<ProjectionStatus?> GetProjectionStatusAsync(this IEventStore store, string name, CancellationToken cancellationToken = default)
    {
        ProjectionPartitions.ValidateLeaseName(name);
        var all = await store.GetProjectionStatusesAsync(cancellationToken).ConfigureAwait(false);
        return all.FirstOrDefault(s => s.Name == name);
    }

    /// <summary>
    /// Waits until <paramref name="name"/> is running with no rebuild pending and has reached the head of the log
    /// as it was when the wait began. Throws when the projection faults.
    /// </summary>
    public static async Task<ProjectionStatus> WaitForProjectionAsync(this IEventStore store, string name, TimeSpan pollInterval, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var head = await store.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var status = await store.GetProjectionStatusAsync(name, cancellationToken).ConfigureAwait(false);
            if (status is { State: ProjectionState.Faulted, RebuildRequestedFrom: null })
            {
                throw new InvalidOperationException($"Projection '{name}' is faulted at position {status.Position}: {status.Error}");
            }

            if (status is { State: ProjectionState.Running, RebuildRequestedFrom: null } && status.Position >= head)
            {
                return status;
            }

            await Task.Delay(pollInterval, timeProvider ?? TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
    }
}
