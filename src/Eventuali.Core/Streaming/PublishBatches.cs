using System.Runtime.InteropServices;

namespace Eventuali.Streaming;

/// <summary>Reading a caller's batch without copying it per event, checking its positions, and cutting it into buffer segments.</summary>
internal static class PublishBatches
{
    public static ReadOnlySpan<RecordedEvent> AsSpan(IReadOnlyList<RecordedEvent> events, out RecordedEvent[]? owned)
    {
        owned = null;
        switch (events)
        {
            case RecordedEvent[] array:
                return array;
            case List<RecordedEvent> list:
                return CollectionsMarshal.AsSpan(list);
            case ArraySegment<RecordedEvent> segment:
                return segment.AsSpan();
            default:
                owned = new RecordedEvent[events.Count];
                for (var i = 0; i < owned.Length; i++)
                {
                    owned[i] = events[i];
                }

                return owned;
        }
    }

    public static void Validate(ReadOnlySpan<RecordedEvent> events, long published)
    {
        var last = published;
        for (var i = 0; i < events.Length; i++)
        {
            var e = events[i] ?? throw new ArgumentException($"Event {i} of the batch is null.", nameof(events));
            if (e.Position <= last)
            {
                throw new ArgumentException(
                    $"Event {i} of the batch has position {e.Position}, not above {last} ({(i == 0 ? "the last published position" : "the event before it")}): publish each committed event once, in position order.",
                    nameof(events));
            }

            last = e.Position;
        }
    }

    public static List<RecordedEvent[]> Segments(ReadOnlySpan<RecordedEvent> rest, int segmentSize)
    {
        var segments = new List<RecordedEvent[]>();
        for (var offset = 0; offset < rest.Length; offset += segmentSize)
        {
            segments.Add(rest.Slice(offset, Math.Min(segmentSize, rest.Length - offset)).ToArray());
        }

        return segments;
    }
}
