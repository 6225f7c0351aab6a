using System.Runtime.CompilerServices;
using Eventuali.Snapshots;

namespace Eventuali.Interception;

/// <summary>
/// Runs interceptors in order: writes go first to last, reads last to first, so the interceptor applied last sits
/// nearest the storage (like nested decorators). Every hook is awaited only when it did not complete synchronously,
/// so a chain of cache hits allocates nothing per event beyond what the hooks themselves return.
/// </summary>
internal sealed partial class InterceptorChain
{
    private readonly EventStoreInterceptor[] _interceptors;

    public InterceptorChain(IEnumerable<EventStoreInterceptor> interceptors)
    {
        ArgumentNullException.ThrowIfNull(interceptors);
        _interceptors = [.. interceptors];
        if (Array.IndexOf(_interceptors, null) >= 0)
        {
            throw new ArgumentException("An interceptor in the list is null.", nameof(interceptors));
        }

        _observers = [.. _interceptors.Where(i => i.ObservesOperations)];
    }

    public ValueTask<IReadOnlyList<EventData>> InAsync(string streamId, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var result = new EventData[events.Count];
        for (var i = 0; i < result.Length; i++)
        {
            // A null event is left for the store's own validation to name.
            var e = events[i];
            for (var k = 0; e is not null && k < _interceptors.Length; k++)
            {
                var pending = _interceptors[k].OnAppendingAsync(streamId, e, cancellationToken);
                if (!pending.IsCompletedSuccessfully)
                {
                    return InSlowAsync(streamId, events, result, i, k, pending, cancellationToken);
                }

                e = Checked(pending.Result, k, events[i], streamId);
            }

            result[i] = e!;
        }

        return ValueTask.FromResult<IReadOnlyList<EventData>>(result);
    }

    public async ValueTask<RecordedEvent> OutAsync(RecordedEvent recorded, CancellationToken cancellationToken)
    {
        for (var i = _interceptors.Length - 1; i >= 0; i--)
        {
            var pending = _interceptors[i].OnReadingAsync(recorded, cancellationToken);
            recorded = (pending.IsCompletedSuccessfully ? pending.Result : await pending.ConfigureAwait(false))
                       ?? throw new InvalidOperationException($"Interceptor {_interceptors[i].GetType().Name} returned no event for a read.");
        }

        return recorded;
    }

    public async IAsyncEnumerable<RecordedEvent> Out(IAsyncEnumerable<RecordedEvent> source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var e in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var pending = OutAsync(e, cancellationToken);
            yield return pending.IsCompletedSuccessfully ? pending.Result : await pending.ConfigureAwait(false);
        }
    }

    public async ValueTask<StoredSnapshot> SnapshotInAsync(StoredSnapshot snapshot, CancellationToken cancellationToken)
    {
        foreach (var interceptor in _interceptors)
        {
            snapshot = await interceptor.OnWritingSnapshotAsync(snapshot, cancellationToken).ConfigureAwait(false)
                       ?? throw new InvalidOperationException($"Interceptor {interceptor.GetType().Name} returned no snapshot.");
        }

        return snapshot;
    }

    /// <summary>The snapshot the loader sees, or null when an interceptor hid it (the loader then replays the stream).</summary>
    public async ValueTask<StoredSnapshot?> SnapshotOutAsync(StoredSnapshot snapshot, CancellationToken cancellationToken)
    {
        StoredSnapshot? current = snapshot;
        for (var i = _interceptors.Length - 1; i >= 0 && current is not null; i--)
        {
            current = await _interceptors[i].OnReadingSnapshotAsync(current, cancellationToken).ConfigureAwait(false);
        }

        return current;
    }

    private async ValueTask<IReadOnlyList<EventData>> InSlowAsync(string streamId, IReadOnlyList<EventData> events, EventData[] result, int index, int interceptor, ValueTask<EventData> pending, CancellationToken cancellationToken)
    {
        for (var i = index; i < result.Length; i++)
        {
            var e = events[i];
            for (var k = i == index ? interceptor : 0; e is not null && k < _interceptors.Length; k++)
            {
                if (i != index || k != interceptor)
                {
                    pending = _interceptors[k].OnAppendingAsync(streamId, e, cancellationToken);
                }

                e = Checked(await pending.ConfigureAwait(false), k, events[i], streamId);
            }

            result[i] = e!;
        }

        return result;
    }

    private EventData Checked(EventData? e, int interceptor, EventData original, string streamId)
        => e ?? throw new InvalidOperationException($"Interceptor {_interceptors[interceptor].GetType().Name} returned no event for {original.EventId} of stream '{streamId}'.");
}
