namespace Eventuali.Interception;

/// <summary>Applies <see cref="EventStoreInterceptor"/>s to any store.</summary>
public static class InterceptionExtensions
{
    /// <summary>
    /// The store seen through <paramref name="interceptors"/> (writes: first to last; reads: last to first).
    /// Disposing the result disposes <paramref name="store"/>.
    /// </summary>
    public static InterceptedEventStore WithInterceptors(this IEventStore store, params EventStoreInterceptor[] interceptors)
        => new(store, interceptors);
}
