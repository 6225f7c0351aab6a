namespace Eventuali.Sagas;

/// <summary>Access to a store's saga storage.</summary>
public static class SagaStoreExtensions
{
    /// <summary>The store's saga storage; throws <see cref="NotSupportedException"/> naming the store type when it has none.</summary>
    public static ISagaStore GetSagaStore(this IEventStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.GetFeature<ISagaStore>()
            ?? throw new NotSupportedException($"{store.GetType().FullName} does not store saga state (it does not implement {nameof(ISagaStore)}).");
    }
}
