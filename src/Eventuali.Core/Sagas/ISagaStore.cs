namespace Eventuali.Sagas;

/// <summary>
/// Saga state and scheduled timeouts, kept in the same database as the events. Implemented by
/// <c>InMemoryEventStore</c>, <c>SqliteEventStore</c> and <c>PostgreSqlEventStore</c>; reach it with
/// <see cref="SagaStoreExtensions.GetSagaStore"/>.
/// </summary>
public interface ISagaStore
{
    /// <summary>The stored instance, or null when (<paramref name="sagaName"/>, <paramref name="sagaId"/>) was never saved.</summary>
    ValueTask<SagaRecord?> LoadSagaAsync(string sagaName, string sagaId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes an instance's state, its outbox and its timeout changes in one transaction, if the stored version
    /// is still <see cref="SagaWrite.ExpectedVersion"/> (0: the instance must not exist). Returns the new version.
    /// Throws <see cref="SagaConcurrencyException"/> when another writer got there first; nothing is written then.
    /// </summary>
    ValueTask<long> SaveSagaAsync(SagaWrite write, CancellationToken cancellationToken = default);

    /// <summary>Timeouts of <paramref name="sagaName"/> due at or before <paramref name="dueBy"/>, earliest first.</summary>
    ValueTask<IReadOnlyList<SagaTimeout>> LoadDueTimeoutsAsync(string sagaName, DateTimeOffset dueBy, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>When the earliest timeout of <paramref name="sagaName"/> is due; null when none is scheduled.</summary>
    ValueTask<DateTimeOffset?> GetNextTimeoutDueAsync(string sagaName, CancellationToken cancellationToken = default);

    /// <summary>
    /// The stored instances among <paramref name="sagaIds"/>, by id (ids never saved are absent). A backend may
    /// answer in one query; the default asks <see cref="LoadSagaAsync"/> for each.
    /// </summary>
    async ValueTask<IReadOnlyDictionary<string, SagaRecord>> LoadSagasAsync(string sagaName, IReadOnlyCollection<string> sagaIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sagaIds);
        var found = new Dictionary<string, SagaRecord>(sagaIds.Count, StringComparer.Ordinal);
        foreach (var id in sagaIds)
        {
            if (await LoadSagaAsync(sagaName, id, cancellationToken).ConfigureAwait(false) is { } record)
            {
                found[id] = record;
            }
        }

        return found;
    }

    /// <summary>
    /// Saves several instances (distinct ids), each as <see cref="SaveSagaAsync"/> does, returning their new versions
    /// in order. A backend may write them in one transaction (then a <see cref="SagaConcurrencyException"/> writes
    /// none); the default saves one after another. Each write carries its own version and last position, so a
    /// partly applied batch is safe to run again.
    /// </summary>
    async ValueTask<IReadOnlyList<long>> SaveSagasAsync(IReadOnlyList<SagaWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var versions = new long[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            versions[i] = await SaveSagaAsync(writes[i], cancellationToken).ConfigureAwait(false);
        }

        return versions;
    }
}
