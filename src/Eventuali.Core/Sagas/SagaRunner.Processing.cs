using System.Text.Json;
using Eventuali.Diagnostics;
using Eventuali.Typed;

namespace Eventuali.Sagas;

/// <summary>Handling one event or timeout: load, decide, save state with outbox, write the outbox.</summary>
public sealed partial class SagaRunner<TState>
{
    /// <summary>
    /// Hands <paramref name="recorded"/> to the saga if it handles it. Returns false when the event is not for this
    /// saga, maps to no instance, or was already handled (a re-delivery; any unwritten outbox is written then).
    /// </summary>
    public async ValueTask<bool> HandleAsync(RecordedEvent recorded, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        if (Match(recorded) is not { } match)
        {
            return false;
        }

        using var span = ConsumerTelemetry.StartOne(EventualiOperations.SagaStep, EventualiAttributes.SagaName, _saga.Name, recorded);
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var record = await _sagas.LoadSagaAsync(_saga.Name, match.SagaId, cancellationToken).ConfigureAwait(false);
            if (record is { Outbox: not null })
            {
                record = await FlushAsync(record, cancellationToken).ConfigureAwait(false);
            }

            if ((record is null && !match.Handler.Starts) || record is { Completed: true } || record?.LastPosition >= recorded.Position)
            {
                return false;
            }

            var ctx = NewContext(match.SagaId, record, recorded, recorded.EventId);
            match.Handler.Handle(ctx, match.Event);
            await SaveAndFlushAsync(record, ctx, recorded.Position, new Source(recorded.EventId, null, 0), cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _handled);
            return true;
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

    /// <summary>Fires every timeout of this saga due by the runner's clock now; returns how many fired.</summary>
    public async ValueTask<int> FireDueTimeoutsAsync(CancellationToken cancellationToken = default)
    {
        var fired = 0;
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var due = await _sagas.LoadDueTimeoutsAsync(_saga.Name, _clock.GetUtcNow(), 100, cancellationToken).ConfigureAwait(false);
                if (due.Count == 0)
                {
                    return fired;
                }

                foreach (var timeout in due)
                {
                    await FireAsync(timeout, cancellationToken).ConfigureAwait(false);
                    fired++;
                    Interlocked.Increment(ref _fired);
                    Signal();
                }
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task FireAsync(SagaTimeout timeout, CancellationToken ct)
    {
        var record = await _sagas.LoadSagaAsync(_saga.Name, timeout.SagaId, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Timeout '{timeout.Key}' of saga '{_saga.Name}' belongs to instance '{timeout.SagaId}', which is not stored.");
        if (SagaOutbox.FromJson(record.Outbox) is { } pending)
        {
            record = await FlushAsync(record, ct).ConfigureAwait(false);
            if (pending.SourceId == timeout.TimeoutId)
            {
                return; // decided before a crash; writing it removed the timeout
            }
        }

        var handler = _saga.TimeoutHandler
            ?? throw new InvalidOperationException($"Saga '{_saga.Name}' scheduled timeout '{timeout.Key}' but has no OnTimeout handler.");
        var ctx = NewContext(timeout.SagaId, record, null, timeout.TimeoutId);
        if (!record.Completed)
        {
            handler(ctx, timeout);
        }

        // The timeout is removed with its decision, or (when the decision appends) once the appends are written,
        // so it fires once and a crash in between fires it again with the same event ids.
        var rescheduled = ctx.Scheduled.Any(t => t.Key == timeout.Key);
        var key = rescheduled ? null : timeout.Key;
        await SaveAndFlushAsync(record, ctx, record.LastPosition, new Source(timeout.TimeoutId, key, 0), ct).ConfigureAwait(false);
    }

    private readonly record struct Source(Guid Id, string? TimeoutKey, int Depth);

    private async Task SaveAndFlushAsync(SagaRecord? record, SagaContext<TState> ctx, long lastPosition, Source source, CancellationToken ct)
    {
        var write = NewWrite(record, ctx, lastPosition, source);
        var version = await _sagas.SaveSagaAsync(write, ct).ConfigureAwait(false);
        if (ctx.Scheduled.Count > 0)
        {
            Volatile.Read(ref _scheduled).TrySetResult();
        }

        if (write.Outbox is not null)
        {
            await FlushAsync(Saved(write, version), ct).ConfigureAwait(false);
        }
    }

    /// <summary>The save of a decision: state, the appends to write (the outbox) and timeout changes.</summary>
    private SagaWrite NewWrite(SagaRecord? record, SagaContext<TState> ctx, long lastPosition, Source source)
        => NewWrite(record, ctx, lastPosition, source, out _);

    /// <summary>As the other overload, also handing out the outbox saved as JSON (null when there are no appends), so it need not be parsed back.</summary>
    private SagaWrite NewWrite(SagaRecord? record, SagaContext<TState> ctx, long lastPosition, Source source, out SagaOutbox? decided)
    {
        // With appends to write, completion (which drops the instance's timeouts) waits until they are written,
        // so a crash in between leaves the timeout or event that will retry them.
        decided = ctx.Appends.Count == 0 ? null : new SagaOutbox(source.Id, source.TimeoutKey, source.Depth, ctx.Completed, [.. ctx.Appends]);
        var outbox = decided?.ToJson();
        var removeNow = outbox is null && source.TimeoutKey is not null ? [source.TimeoutKey] : Array.Empty<string>();
        var completed = (record?.Completed ?? false) || (ctx.Completed && outbox is null);
        return new SagaWrite(_saga.Name, ctx.SagaId, record?.Version ?? 0, SerializeState(ctx.State), lastPosition, completed, outbox)
        {
            Schedule = ctx.Scheduled,
            Cancel = [.. removeNow, .. ctx.Cancelled],
        };
    }

    private static SagaRecord Saved(SagaWrite write, long version)
        => new(write.SagaName, write.SagaId, version, write.State, write.LastPosition, write.Completed, write.Outbox, default);

    /// <summary>Writes a saved outbox; on a refused append runs the failure handler and saves its compensation.</summary>
    private async Task<SagaRecord> FlushAsync(SagaRecord record, CancellationToken ct)
    {
        if (await AppendOutboxAsync(record, null, ct).ConfigureAwait(false) is { } compensated)
        {
            return compensated;
        }

        var done = OutboxWritten(record);
        var version = await _sagas.SaveSagaAsync(done, ct).ConfigureAwait(false);
        return record with { Outbox = null, Version = version, Completed = done.Completed };
    }

    /// <summary>
    /// Writes the outbox's appends (idempotent: the event ids are fixed). Null when all were written and the outbox
    /// is to be cleared (<see cref="OutboxWritten"/>); the reloaded instance when a refused append was compensated.
    /// <paramref name="decided"/>, when not null, is the record's outbox as decided in this process (saves parsing it back).
    /// </summary>
    private async Task<SagaRecord?> AppendOutboxAsync(SagaRecord record, SagaOutbox? decided, CancellationToken ct)
    {
        var outbox = decided ?? SagaOutbox.FromJson(record.Outbox)!;
        foreach (var append in outbox.Appends)
        {
            var events = Array.ConvertAll(append.Events, e => e.ToEventData());
            try
            {
                await _store.AppendAsync(append.StreamId, append.Expected, events, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ConcurrencyException or DuplicateEventIdException && _saga.FailureHandler is not null && outbox.Depth < _options.MaxCompensationDepth)
            {
                var failure = new SagaAppendFailure(append.StreamId, append.Expected, [.. events.Select(e => Deserialize(append.StreamId, e))], (EventualiException)ex);
                var ctx = NewContext(record.SagaId, record, null, events[0].EventId);
                _saga.FailureHandler(ctx, failure);
                Interlocked.Increment(ref _compensations);
                var source = new Source(outbox.SourceId, outbox.TimeoutKey, outbox.Depth + 1);
                await SaveAndFlushAsync(record with { Outbox = null }, ctx, record.LastPosition, source, ct).ConfigureAwait(false);
                return (await _sagas.LoadSagaAsync(record.SagaName, record.SagaId, ct).ConfigureAwait(false))!;
            }
        }

        return null;
    }

    /// <summary>The save that clears a written outbox (and completes the instance or removes its timeout when the outbox said so).</summary>
    private static SagaWrite OutboxWritten(SagaRecord record, SagaOutbox? decided = null)
    {
        var outbox = decided ?? SagaOutbox.FromJson(record.Outbox)!;
        return new SagaWrite(record.SagaName, record.SagaId, record.Version, record.State, record.LastPosition, record.Completed || outbox.Complete, null)
        {
            Cancel = outbox.TimeoutKey is null ? [] : [outbox.TimeoutKey],
        };
    }

    private SagaContext<TState> NewContext(string sagaId, SagaRecord? record, RecordedEvent? trigger, Guid sourceId)
    {
        var state = record is null ? new TState() : DeserializeState(record);
        return new SagaContext<TState>(_saga.Name, sagaId, state, record is null, trigger, sourceId, _clock.GetUtcNow(), _store.Options.Types, _saga.StateJson);
    }

    private (string SagaId, SagaDefinition<TState>.EventHandlerEntry Handler, object Event)? Match(RecordedEvent recorded)
    {
        var types = _store.Options.Types;
        if ((_relevantTypes.TryGetValue(recorded.EventType, out var relevant) && !relevant) || !types.TryGetType(recorded.EventType, out _))
        {
            return null;
        }

        var value = types.Deserialize(recorded);
        relevant = _saga.Handlers.TryGetValue(value.GetType(), out var handler);
        _relevantTypes[recorded.EventType] = relevant;
        return relevant && handler!.Correlate(value) is { Length: > 0 } sagaId ? (sagaId, handler, value) : null;
    }

    private object Deserialize(string streamId, EventData e)
        => _store.Options.Types.Deserialize(new RecordedEvent(streamId, 0, 0, e.EventId, e.EventType, e.Data, e.Metadata, default, e.ContentType));

    private string SerializeState(TState state)
    {
        ArgumentNullException.ThrowIfNull(state, nameof(SagaContext<TState>.State));
        return JsonSerializer.Serialize(state, ReflectionJson.Info<TState>(_saga.StateJson));
    }

    private TState DeserializeState(SagaRecord record)
    {
        try
        {
            return JsonSerializer.Deserialize(record.State, ReflectionJson.Info<TState>(_saga.StateJson)) ?? new TState();
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"The stored state of saga '{record.SagaName}' instance '{record.SagaId}' is not a valid {typeof(TState).Name}: {ex.Message}", ex);
        }
    }
}
