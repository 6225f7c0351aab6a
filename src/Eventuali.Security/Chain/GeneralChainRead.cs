using Eventuali.Integrity;

namespace Eventuali.Security.Chain;

/// <summary>
/// The rows of a verification walk from what every store offers: the global log merged with archived events
/// (<see cref="StoredLog"/>) joined by position with the chain entries, both read ahead on other threads. Used when
/// the store has no <see cref="IEventChainRowReader"/>; the walk and its findings are the same.
/// </summary>
internal static class GeneralChainRead
{
    public static async ValueTask ReadChainRowsAsync(IEventStore bare, IEventChainStore chain, IEventChainRowSink sink, CancellationToken cancellationToken)
    {
        var scratch = new EventChainRowScratch();
        var entries = Prefetch.ReadAheadAsync(chain.ReadEntriesAsync(1, cancellationToken), 4, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (entries.ConfigureAwait(false))
        {
            var events = Prefetch.ReadAheadAsync(StoredLog.ReadAsync(bare, chain, 1, long.MaxValue, cancellationToken), 4, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (events.ConfigureAwait(false))
            {
                var entry = await entries.MoveNextAsync().ConfigureAwait(false) ? entries.Current : null;
                var e = await events.MoveNextAsync().ConfigureAwait(false) ? events.Current : null;
                while (entry is not null || e is not null)
                {
                    if (e is null || (entry is not null && entry.Position < e.Position))
                    {
                        sink.Accept(new EventChainRow { Position = entry!.Position, HasEntry = true, EntryHash = entry.ChainHash.Span, EntryRemoved = entry.Removed });
                        entry = await entries.MoveNextAsync().ConfigureAwait(false) ? entries.Current : null;
                        continue;
                    }

                    var joined = entry is not null && entry.Position == e.Position ? entry : null;
                    sink.Accept(scratch.From(e, joined));
                    if (joined is not null)
                    {
                        entry = await entries.MoveNextAsync().ConfigureAwait(false) ? entries.Current : null;
                    }

                    e = await events.MoveNextAsync().ConfigureAwait(false) ? events.Current : null;
                }
            }
        }
    }
}
