using System.Runtime.CompilerServices;
using Eventuali.Projections;

namespace Eventuali.InMemory;

/// <summary>Projection state, read models and dead letters in process memory; one runner per projection per store.</summary>
public sealed partial class InMemoryEventStore : IProjectionStore
{
    private readonly MemoryProjections _projections = new();

    public ValueTask<IProjectionLease?> TryAcquireProjectionAsync(string name, string owner, CancellationToken cancellationToken = default)
    {
        ProjectionNames.Validate(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        return ValueTask.FromResult<IProjectionLease?>(_projections.TryAcquire(name, owner, Options.TimeProvider));
    }

    public ValueTask<IReadOnlyList<ProjectionRow>> ListProjectionsAsync(CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_projections.List());

    public ValueTask<bool> RequestProjectionRebuildAsync(string name, long fromPosition, CancellationToken cancellationToken = default)
    {
        ProjectionNames.Validate(name);
        ArgumentOutOfRangeException.ThrowIfNegative(fromPosition);
        return ValueTask.FromResult(_projections.RequestRebuild(name, fromPosition, Options.TimeProvider));
    }

    public ValueTask<string?> GetProjectionDocumentAsync(string projection, string key, CancellationToken cancellationToken = default)
    {
        ProjectionNames.Validate(projection);
        ProjectionNames.ValidateKey(key);
        return ValueTask.FromResult(_projections.GetDocument(projection, key));
    }

    public async IAsyncEnumerable<ProjectionDocument> ReadProjectionDocumentsAsync(string projection, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ProjectionNames.Validate(projection);
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var d in _projections.Documents(projection))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return d;
        }
    }

    public ValueTask<IReadOnlyList<DeadLetter>> ReadDeadLettersAsync(string projection, CancellationToken cancellationToken = default)
    {
        ProjectionNames.Validate(projection);
        return ValueTask.FromResult(_projections.DeadLetters(projection));
    }
}
