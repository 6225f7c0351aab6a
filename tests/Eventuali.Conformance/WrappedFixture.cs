using System.Runtime.CompilerServices;
using Eventuali.Interception;

namespace Eventuali.Conformance;

/// <summary>
/// A backend's fixture seen through the interception seam: every store it hands out is the backend's store wrapped
/// with a <see cref="CountingInterceptor"/> and a <see cref="StampingInterceptor"/>. Enrolling a conformance class
/// with it proves the wrapper changes no answer and loses no capability.
/// </summary>
public sealed class WrappedFixture<TInner> : IStoreFixture, IAsyncDisposable
    where TInner : class, IStoreFixture, new()
{
    private readonly ConditionalWeakTable<IEventStore, IEventStore> _inners = [];

    /// <summary>The backend's own fixture.</summary>
    public TInner Inner { get; } = new();

    /// <summary>Counts of every wrapped store of this fixture.</summary>
    public CountingInterceptor Counts { get; } = new();

    public string BackendName => Inner.BackendName + " (intercepted)";

    public bool Persists => Inner.Persists;

    public bool PositionsAreContiguous => Inner.PositionsAreContiguous;

    public bool StoresJsonWithNulCharacters => Inner.StoresJsonWithNulCharacters;

    public async ValueTask<IEventStore> CreateStoreAsync(EventStoreOptions? options = null, CancellationToken cancellationToken = default)
        => Wrap(await Inner.CreateStoreAsync(options, cancellationToken));

    public async ValueTask<IEventStore> ReopenAsync(IEventStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!_inners.TryGetValue(store, out var inner))
        {
            throw new ArgumentException("The store was not created by this fixture.", nameof(store));
        }

        _inners.Remove(store);
        return Wrap(await Inner.ReopenAsync(inner, cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        if (Inner is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    private InterceptedEventStore Wrap(IEventStore inner)
    {
        var wrapped = inner.WithInterceptors(Counts, new StampingInterceptor());
        _inners.Add(wrapped, inner);
        return wrapped;
    }
}
