using System.Runtime.CompilerServices;

namespace Eventuali.Subscriptions;

// Stand-in for the subscription contract until its implementation lands; removed on merge.
public static class SubscriptionExtensions
{
    public static async IAsyncEnumerable<RecordedEvent> SubscribeToAllAsync(this IEventStore store, long afterPosition = 0, EventFilter? filter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var after = afterPosition;
        while (true)
        {
            var any = false;
            await foreach (var e in store.ReadAllAsync(after + 1, 512, null, cancellationToken).ConfigureAwait(false))
            {
                after = e.Position;
                any = true;
                if (filter is null || filter.Matches(e.StreamId, e.EventType))
                {
                    yield return e;
                }
            }

            if (!any)
            {
                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

public interface ICheckpointStore
{
    ValueTask<long?> LoadCheckpointAsync(string name, CancellationToken cancellationToken = default);

    ValueTask SaveCheckpointAsync(string name, long position, CancellationToken cancellationToken = default);
}
