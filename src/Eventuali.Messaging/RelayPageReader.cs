namespace Eventuali.Messaging;

/// <summary>One read of a relay route: the matching events after a position, and how far the log is covered.</summary>
/// <param name="Events">The matching events, in log order (at most the route's batch size).</param>
/// <param name="Head">The log's head when the page was read.</param>
/// <param name="Through">The position the page covers the log up to: its last event, or the head when the page is not full.</param>
/// <param name="Appended">Completes on the next append after the read started (null: the store gives no signal).</param>
internal sealed record RelayPage(List<RecordedEvent> Events, long Head, long Through, Task? Appended);

/// <summary>Reads a route's pages and turns them into messages.</summary>
internal sealed class RelayPageReader(IEventStore store, RelayRoute route)
{
    private readonly Subscriptions.IAppendNotifications? _notifications = store.GetFeature<Subscriptions.IAppendNotifications>();
    private readonly EventFilter? _filter = route.Filter;

    public async Task<RelayPage> ReadAsync(long after, CancellationToken ct)
    {
        // Taken before reading, so an append committed after the read still wakes the wait on it.
        var appended = _notifications?.NextAppendSignal();

        // The head is read before the page: every matching event up to it is then in the page unless the page is full.
        var head = await store.GetHeadPositionAsync(ct).ConfigureAwait(false);
        var events = new List<RecordedEvent>(Math.Min(route.BatchSize, 1024));
        await foreach (var e in store.ReadAllAsync(after + 1, route.BatchSize, _filter, ct).ConfigureAwait(false))
        {
            events.Add(e);
        }

        var through = events.Count < route.BatchSize ? Math.Max(head, events.Count > 0 ? events[^1].Position : after) : events[^1].Position;
        return new RelayPage(events, head, through, appended);
    }

    public OutboundMessage[] Messages(RelayPage page)
    {
        var messages = new OutboundMessage[page.Events.Count];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = OutboundMessage.From(page.Events[i], route.TopicOf(page.Events[i].StreamId));
        }

        return messages;
    }
}
