namespace Eventuali.Projections;

/// <summary>
/// Projection state, read models and dead letters kept in the same database as the events, so a
/// projection's changes and its new position commit in one transaction. Implemented by every store.
/// </summary>
public interface IProjectionStore
{
    /// <summary>
    /// Becomes the one runner of <paramref name="name"/> (creating its row when new), or returns null when
    /// another runner holds it. PostgreSQL: an advisory lock held by the lease's connection, released when that
    /// process dies; SQLite: a lock file next to the database; memory: per store.
    /// </summary>
    ValueTask<IProjectionLease?> TryAcquireProjectionAsync(string name, string owner, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="TryAcquireProjectionAsync(string, string, CancellationToken)"/>, with the lease lasting
    /// <paramref name="lease"/>'s duration without renewal. Stores with a lease table (PostgreSQL, SQLite) give the lease an
    /// epoch that every commit checks; the default ignores <paramref name="lease"/>.
    /// </summary>
    ValueTask<IProjectionLease?> TryAcquireProjectionAsync(string name, string owner, LeaseOptions lease, CancellationToken cancellationToken = default)
        => TryAcquireProjectionAsync(name, owner, cancellationToken);

    /// <summary>Every projection row, ordered by name.</summary>
    ValueTask<IReadOnlyList<ProjectionRow>> ListProjectionsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a rebuild request (position reset to <paramref name="fromPosition"/>, state rebuilding) for the
    /// running daemon to honour, and removes the projection's dead letters above <paramref name="fromPosition"/>
    /// (the rebuild applies those events again). Returns false when no projection of that name has ever run.
    /// Throws <see cref="ArgumentOutOfRangeException"/> when <paramref name="fromPosition"/> is above the head of
    /// the log: events appended up to it later would never be projected.
    /// </summary>
    ValueTask<bool> RequestProjectionRebuildAsync(string name, long fromPosition, CancellationToken cancellationToken = default);

    /// <summary>One document of a projection's built-in read model, or null.</summary>
    ValueTask<string?> GetProjectionDocumentAsync(string projection, string key, CancellationToken cancellationToken = default);

    /// <summary>A projection's documents in key order, streamed.</summary>
    IAsyncEnumerable<ProjectionDocument> ReadProjectionDocumentsAsync(string projection, CancellationToken cancellationToken = default);

    /// <summary>A projection's parked events in position order.</summary>
    ValueTask<IReadOnlyList<DeadLetter>> ReadDeadLettersAsync(string projection, CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks the running daemon to run the projection's handler again for one dead letter (<paramref name="id"/>) or all
    /// of the projection's (null). A retry that succeeds removes the dead letter; one that fails keeps it with the new
    /// error and one more attempt. Returns how many dead letters were marked.
    /// </summary>
    ValueTask<int> RequestDeadLetterRetryAsync(string projection, long? id = null, CancellationToken cancellationToken = default);

    /// <summary>Acknowledges (removes) one dead letter (<paramref name="id"/>) or all of the projection's (null); returns how many.</summary>
    ValueTask<int> DeleteDeadLettersAsync(string projection, long? id = null, CancellationToken cancellationToken = default);
}

/// <summary>Sole ownership of one projection; disposing releases it.</summary>
public interface IProjectionLease : IAsyncDisposable
{
    /// <summary>The projection this lease owns.</summary>
    string Name { get; }

    /// <summary>Reads the projection's row now.</summary>
    ValueTask<ProjectionRow> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>Begins one transaction for read-model changes and progress.</summary>
    ValueTask<IProjectionTransaction> BeginAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The fencing token: it grows each time the lease changes hands. A transaction's progress is refused (with
    /// <see cref="LeaseLostException"/>) once another holder has a higher epoch. 0 when the store has no lease table.
    /// </summary>
    long Epoch => 0;

    /// <summary>Cancelled when the holder learns it lost the lease (renewal refused or not done in time); never for stores without expiry.</summary>
    CancellationToken Lost => CancellationToken.None;
}

/// <summary>
/// One transaction of a projection: read-model changes, dead letters and the new position commit together
/// or not at all. Disposing without <see cref="CommitAsync"/> rolls back.
/// </summary>
public interface IProjectionTransaction : IAsyncDisposable
{
    /// <summary>The projection's built-in read model inside this transaction.</summary>
    IProjectionDocuments Documents { get; }

    /// <summary>The backend's own connection and transaction (see the backend's projection context type), or null.</summary>
    object? Backend { get; }

    /// <summary>Deletes every document of the projection's read model (a rebuild starts with this).</summary>
    ValueTask ClearDocumentsAsync(CancellationToken cancellationToken = default);

    /// <summary>Parks <paramref name="recorded"/> as a dead letter, replacing one already parked for the same event (its id stays).</summary>
    ValueTask ParkAsync(RecordedEvent recorded, string error, int attempts, CancellationToken cancellationToken = default);

    /// <summary>Removes the dead letter <paramref name="id"/> of this projection (a retry of it succeeded).</summary>
    ValueTask RemoveDeadLetterAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Records the projection's new position and state, committed with the read-model changes.</summary>
    ValueTask SaveProgressAsync(ProjectionProgress progress, CancellationToken cancellationToken = default);

    /// <summary>Commits the read-model changes, dead letters and progress together.</summary>
    ValueTask CommitAsync(CancellationToken cancellationToken = default);
}

/// <summary>The built-in read-model table of one projection: key to JSON document.</summary>
public interface IProjectionDocuments
{
    /// <summary>The JSON document at <paramref name="key"/>, or null when there is none.</summary>
    ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the document at <paramref name="key"/>; <paramref name="json"/> must be valid JSON.</summary>
    ValueTask PutAsync(string key, string json, CancellationToken cancellationToken = default);

    /// <summary>Deletes the document at <paramref name="key"/>, if any.</summary>
    ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default);
}
