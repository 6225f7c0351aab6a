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
}
