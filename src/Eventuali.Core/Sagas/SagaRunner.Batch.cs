using Eventuali.Diagnostics;

namespace Eventuali.Sagas;

/// <summary>
/// Handling a read page at once: one load of the instances it touches, then rounds of at most one event per
/// instance, each round's state and outboxes saved in one call, their appends written concurrently (the store
/// commits them together) and the outboxes cleared in one more call. Exactly-once holds as for one event: each
/// instance's save carries its version and last position, and its outbox replays the same event ids.
/// </summary>
public sealed partial class SagaRunner<TState>
{
    /// <summary>Events handled together at most (a page of the log is split into batches of this size).</summary>
    internal const int MaxBatch = 1024;

    private readonly record struct Pending(RecordedEvent Event, string SagaId, SagaDefinition<TState>.EventHandlerEntry Handler, object Value);

    /// <summary>The events of <paramref name="batch"/> this saga handles, deserialized once (a retry reuses them).</summary>
    private List<Pending> Matching(List<RecordedEvent> batch)
    {
        var pending = new List<Pending>(batch.Count);
        foreach (var e in batch)
        {
            if (Match(e) is { } m)
            {
                pending.Add(new Pending(e, m.SagaId, m.Handler, m.Event));
            }
        }

        return pending;
    }

    /// <summary>Handles <paramref name="pending"/> in log order per instance; returns how many events were handled (not skipped).</summary>
    private async Task<int> HandleBatchAsync(List<Pending> pending, CancellationToken ct)
    {
        if (pending.Count == 0)
        {
            return 0;
        }

        using var span = ConsumerTelemetry.StartBatch(EventualiOperations.SagaStep, EventualiAttributes.SagaName, _saga.Name, pending, static p => p.Event);
        await _turn.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // Per instance, its events in log order; instances in order of first appearance.
            var queues = new Dictionary<string, Queue<Pending>>(StringComparer.Ordinal);
            var ids = new List<string>();
            foreach (var p in pending)
            {
                if (!queues.TryGetValue(p.SagaId, out var queue))
                {
                    queues[p.SagaId] = queue = new Queue<Pending>();
                    ids.Add(p.SagaId);
                }

                queue.Enqueue(p);
            }

            // Loaded afresh on every try: after a failure, what was saved is read back rather than assumed.
            var loaded = await _sagas.LoadSagasAsync(_saga.Name, ids, ct).ConfigureAwait(false);
            var records = new Dictionary<string, SagaRecord?>(ids.Count, StringComparer.Ordinal);
            foreach (var id in ids)
            {
                var record = loaded.GetValueOrDefault(id);

                // An outbox left by a crash or a failed try is written before anything new is decided.
                records[id] = record is { Outbox: not null } ? await FlushAsync(record, ct).ConfigureAwait(false) : record;
            }

            var handled = 0;
            while (ids.Count > 0)
            {
                handled += await HandleRoundAsync(ids, queues, records, ct).ConfigureAwait(false);
                ids.RemoveAll(id => queues[id].Count == 0);
            }

            return handled;
        }
        catch (Exception ex)
        {
            ConsumerTelemetry.Fail(span, ex);
            throw;
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>One event of each instance that still has some: decide, save together, write appends, clear outboxes together.</summary>
    private async Task<int> HandleRoundAsync(List<string> ids, Dictionary<string, Queue<Pending>> queues, Dictionary<string, SagaRecord?> records, CancellationToken ct)
    {
        var writes = new List<SagaWrite>(ids.Count);
        var outboxes = new List<SagaOutbox?>(ids.Count);
        var scheduled = false;
        foreach (var id in ids)
        {
            var p = queues[id].Dequeue();
            var record = records[id];
            if ((record is null && !p.Handler.Starts) || record is { Completed: true } || record?.LastPosition >= p.Event.Position)
            {
                continue;
            }

            var ctx = NewContext(id, record, p.Event, p.Event.EventId);
            p.Handler.Handle(ctx, p.Value);
            writes.Add(NewWrite(record, ctx, p.Event.Position, new Source(p.Event.EventId, null, 0), out var outbox));
            outboxes.Add(outbox);
            scheduled |= ctx.Scheduled.Count > 0;
        }

        if (writes.Count == 0)
        {
            return 0;
        }

        var versions = await _sagas.SaveSagasAsync(writes, ct).ConfigureAwait(false);
        if (scheduled)
        {
            Volatile.Read(ref _scheduled).TrySetResult();
        }

        var withOutbox = new List<(SagaRecord Record, SagaOutbox Outbox)>();
        for (var i = 0; i < writes.Count; i++)
        {
            var saved = Saved(writes[i], versions[i]);
            records[saved.SagaId] = saved;
            if (outboxes[i] is { } outbox)
            {
                withOutbox.Add((saved, outbox));
            }
        }

        Interlocked.Add(ref _handled, writes.Count);
        if (withOutbox.Count > 0)
        {
            await WriteOutboxesAsync(withOutbox, records, ct).ConfigureAwait(false);
        }

        return writes.Count;
    }

    private async Task WriteOutboxesAsync(List<(SagaRecord Record, SagaOutbox Outbox)> withOutbox, Dictionary<string, SagaRecord?> records, CancellationToken ct)
    {
        // Different instances' appends are independent: written at once, the store groups their commits. Each starts on
        // the thread pool: a store that commits on the caller's thread when its writer is idle (SQLite) would otherwise
        // get them one by one, a commit each.
        var appended = await Task.WhenAll(withOutbox.Select(r => Task.Run(() => AppendOutboxAsync(r.Record, r.Outbox, ct), ct))).ConfigureAwait(false);
        var done = new List<SagaWrite>(withOutbox.Count);
        for (var i = 0; i < withOutbox.Count; i++)
        {
            if (appended[i] is { } compensated)
            {
                records[compensated.SagaId] = compensated;
            }
            else
            {
                done.Add(OutboxWritten(withOutbox[i].Record, withOutbox[i].Outbox));
            }
        }

        if (done.Count == 0)
        {
            return;
        }

        var versions = await _sagas.SaveSagasAsync(done, ct).ConfigureAwait(false);
        for (var i = 0; i < done.Count; i++)
        {
            records[done[i].SagaId] = Saved(done[i], versions[i]);
        }
    }
}
