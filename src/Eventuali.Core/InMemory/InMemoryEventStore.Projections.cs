using System.Runtime.CompilerServices;
using Eventuali.Projections;

namespace Eventuali.InMemory;

/// <summary>Projection state, read models and dead letters in process memory; one runner per projection per store.</summary>
public sealed partial class InMemoryEventStore : IProjectionStore, IInlineProjectionStore, IProjectionErasure
{
    private readonly MemoryProjections _projections = new();
    private volatile InlineProjectionSet? _inline;

    /// <inheritdoc />
    public ValueTask<ProjectionErasureResult> EraseSubjectDataAsync(string subjectId, IReadOnlyCollection<string> streamIds, CancellationToken cancellationToken = default)
    {
        DataKeys.DataKeyValidation.Subject(subjectId);
        ArgumentNullException.ThrowIfNull(streamIds);
        return ValueTask.FromResult(_projections.EraseSubject(subjectId, streamIds));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SubjectDocument>> GetSubjectDocumentsAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        DataKeys.DataKeyValidation.Subject(subjectId);
        return ValueTask.FromResult(_projections.SubjectDocuments(subjectId));
    }

    /// <inheritdoc />
    public ValueTask AddInlineProjectionAsync(Projection projection, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _inline = InlineProjectionSet.With(_inline, projection);
            _projections.EnsureInlineRow(projection.Name, _log.Count, Options.TimeProvider);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Runs the inline projections over an append that passed every check, before it is stored; throws to refuse it.</summary>
    private void RunInline(string streamId, long version, IReadOnlyList<EventData> events, DateTimeOffset now)
    {
        if (_inline is not { } inline || !inline.AnyHandles(streamId, events))
        {
            return;
        }

        var records = new RecordedEvent[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            records[i] = new RecordedEvent(streamId, version + i + 1, _log.Count + i + 1, e.EventId, e.EventType, e.Data.ToArray(), Snapshot(e.Metadata), now, e.ContentType);
        }

        var transactions = new List<IProjectionTransaction>();
        inline.Run(records, p =>
        {
            var tx = _projections.BeginInline(p.Name, Options.TimeProvider);
            transactions.Add(tx);
            return tx;
        });
        foreach (var tx in transactions)
        {
            tx.CommitAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <inheritdoc />
    public ValueTask<IProjectionLease?> TryAcquireProjectionAsync(string name, string owner, CancellationToken cancellationToken = default)
    {
        ProjectionPartitions.ValidateLeaseName(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        return ValueTask.FromResult<IProjectionLease?>(_projections.TryAcquire(name, owner, Options.TimeProvider));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ProjectionRow>> ListProjectionsAsync(CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_projections.List());

    /// <inheritdoc />
    public async ValueTask<bool> RequestProjectionRebuildAsync(string name, long fromPosition, CancellationToken cancellationToken = default)
    {
        await ProjectionRequests.EnsureRebuildWithinHeadAsync(this, name, fromPosition, cancellationToken).ConfigureAwait(false);
        return _projections.RequestRebuild(name, fromPosition, Options.TimeProvider);
    }

    /// <inheritdoc />
    public ValueTask<string?> GetProjectionDocumentAsync(string projection, string key, CancellationToken cancellationToken = default)
    {
        ProjectionNames.Validate(projection);
        ProjectionNames.ValidateKey(key);
        return ValueTask.FromResult(_projections.GetDocument(projection, key));
    }

    /// <inheritdoc />
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

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<DeadLetter>> ReadDeadLettersAsync(string projection, CancellationToken cancellationToken = default)
    {
        ProjectionPartitions.ValidateLeaseName(projection);
        return ValueTask.FromResult(_projections.DeadLetters(projection));
    }

    /// <inheritdoc />
    public ValueTask<int> RequestDeadLetterRetryAsync(string projection, long? id = null, CancellationToken cancellationToken = default)
    {
        ProjectionRequests.ValidateDeadLetter(projection, id);
        return ValueTask.FromResult(_projections.RequestRetry(projection, id));
    }

    /// <inheritdoc />
    public ValueTask<int> DeleteDeadLettersAsync(string projection, long? id = null, CancellationToken cancellationToken = default)
    {
        ProjectionRequests.ValidateDeadLetter(projection, id);
        return ValueTask.FromResult(_projections.Delete(projection, id));
    }
}
