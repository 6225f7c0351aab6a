using System.Collections.Concurrent;
using Eventuali.Subscriptions;

namespace Eventuali.InMemory;

/// <summary>Checkpoints in process memory, gone with the store like its events.</summary>
public sealed partial class InMemoryEventStore : ICheckpointStore
{
    private readonly ConcurrentDictionary<string, long> _checkpoints = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<long?> LoadCheckpointAsync(string name, CancellationToken cancellationToken = default)
    {
        CheckpointNames.Validate(name);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<long?>(_checkpoints.TryGetValue(name, out var p) ? p : null);
    }

    /// <inheritdoc />
    public ValueTask SaveCheckpointAsync(string name, long position, CancellationToken cancellationToken = default)
    {
        CheckpointNames.Validate(name, position);
        cancellationToken.ThrowIfCancellationRequested();
        _checkpoints[name] = position;
        return ValueTask.CompletedTask;
    }
}
