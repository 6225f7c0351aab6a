using System.Runtime.CompilerServices;
using Eventuali.Snapshots;

namespace Eventuali.Interception;

/// <summary>
/// Runs interceptors in order: writes go first to last, reads last to first, so the interceptor applied last sits
/// nearest the storage (like nested decorators).
/// </summary>
internal sealed class InterceptorChain
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
    }

    public IReadOnlyList<EventData> In(string streamId, IReadOnlyList<EventData> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var result = new EventData[events.Count];
        for (var i = 0; i < result.Length; i++)
        {
            // A null event is left for the store's own validation to name.
            var e = events[i];
            if (e is not null)
            {
                foreach (var interceptor in _interceptors)
                {
                    e = interceptor.OnAppending(streamId, e) ?? throw new InvalidOperationException($"Interceptor {interceptor.GetType().Name} returned no event for {events[i].EventId} of stream '{streamId}'.");
                }
            }

            result[i] = e!;
        }

        return result;
    }

    public RecordedEvent Out(RecordedEvent recorded)
    {
        for (var i = _interceptors.Length - 1; i >= 0; i--)
        {
            recorded = _interceptors[i].OnReading(recorded) ?? throw new InvalidOperationException($"Interceptor {_interceptors[i].GetType().Name} returned no event for a read.");
        }

        return recorded;
    }

    public async IAsyncEnumerable<RecordedEvent> Out(IAsyncEnumerable<RecordedEvent> source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var e in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return Out(e);
        }
    }

    public StoredSnapshot SnapshotIn(StoredSnapshot snapshot)
    {
        foreach (var interceptor in _interceptors)
        {
            snapshot = interceptor.OnWritingSnapshot(snapshot) ?? throw new InvalidOperationException($"Interceptor {interceptor.GetType().Name} returned no snapshot.");
        }

        return snapshot;
    }

    public StoredSnapshot SnapshotOut(StoredSnapshot snapshot)
    {
        for (var i = _interceptors.Length - 1; i >= 0; i--)
        {
            snapshot = _interceptors[i].OnReadingSnapshot(snapshot) ?? throw new InvalidOperationException($"Interceptor {_interceptors[i].GetType().Name} returned no snapshot.");
        }

        return snapshot;
    }
}
