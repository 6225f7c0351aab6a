using System.Runtime.CompilerServices;
using Eventuali.Integrity;
using Eventuali.Interception;

namespace Eventuali.Security.Chain;

/// <summary>
/// Every event the store keeps, exactly as stored, in position order: the global log merged with archived events.
/// Reads bypass interceptors (the chain covers the stored bytes, ciphertext included, not what a reader sees).
/// </summary>
internal static class StoredLog
{
    /// <summary>The store beneath any interceptors.</summary>
    public static IEventStore Bare(IEventStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        while (store is InterceptedEventStore intercepted)
        {
            store = intercepted.Inner;
        }

        return store;
    }

    /// <summary>The chain capability of <paramref name="store"/>, or a clear error naming the store type.</summary>
    public static IEventChainStore ChainOf(IEventStore store)
        => store.GetFeature<IEventChainStore>()
           ?? throw new NotSupportedException($"The store {store.GetType().Name} keeps no tamper-evident log (it does not implement {nameof(IEventChainStore)}).");

    /// <summary>Live and archived events from <paramref name="fromPosition"/> up to <paramref name="toPosition"/> inclusive, merged by position.</summary>
    public static async IAsyncEnumerable<RecordedEvent> ReadAsync(IEventStore bare, IEventChainStore chain, long fromPosition, long toPosition, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Most logs have no archive: then the live log alone, without a merge step per event.
        var anyArchived = false;
        await foreach (var _ in chain.ReadArchivedLogAsync(fromPosition, cancellationToken).ConfigureAwait(false))
        {
            anyArchived = true;
            break;
        }

        var events = anyArchived ? MergeAsync(bare, chain, fromPosition, toPosition, cancellationToken) : bare.ReadAllAsync(fromPosition, int.MaxValue, null, cancellationToken);
        await foreach (var e in events.ConfigureAwait(false))
        {
            if (e.Position > toPosition)
            {
                yield break;
            }

            yield return e;
        }
    }

    private static async IAsyncEnumerable<RecordedEvent> MergeAsync(IEventStore bare, IEventChainStore chain, long fromPosition, long toPosition, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var live = bare.ReadAllAsync(fromPosition, int.MaxValue, null, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (live.ConfigureAwait(false))
        {
            var archived = chain.ReadArchivedLogAsync(fromPosition, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (archived.ConfigureAwait(false))
            {
                var a = await Next(live, toPosition).ConfigureAwait(false);
                var b = await Next(archived, toPosition).ConfigureAwait(false);
                while (a is not null || b is not null)
                {
                    if (b is null || (a is not null && a.Position <= b.Position))
                    {
                        yield return a!;
                        a = await Next(live, toPosition).ConfigureAwait(false);
                    }
                    else
                    {
                        yield return b;
                        b = await Next(archived, toPosition).ConfigureAwait(false);
                    }
                }
            }
        }
    }

    private static async ValueTask<RecordedEvent?> Next(IAsyncEnumerator<RecordedEvent> source, long toPosition)
        => await source.MoveNextAsync().ConfigureAwait(false) && source.Current.Position <= toPosition ? source.Current : null;
}
