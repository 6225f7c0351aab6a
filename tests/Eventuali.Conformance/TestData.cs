using System.Text;
using System.Text.Json.Nodes;

namespace Eventuali.Conformance;

/// <summary>Event builders and read helpers used across the conformance classes.</summary>
internal static class TestData
{
    public static EventData Json(string type = "test-event", string json = "{}", EventMetadata? metadata = null)
        => new(Guid.NewGuid(), type, Encoding.UTF8.GetBytes(json), metadata);

    public static EventData[] Many(int count, string type = "test-event")
        => [.. Enumerable.Range(0, count).Select(i => Json(type, $$"""{"n":{{i}}}"""))];

    public static EventData Binary(ReadOnlyMemory<byte> bytes, string type = "blob")
        => new(Guid.NewGuid(), type, bytes, null, ContentTypes.Binary);

    public static async Task<List<RecordedEvent>> ReadStreamListAsync(this IEventStore store, string streamId, long fromVersion = StreamVersion.Start, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward)
    {
        var list = new List<RecordedEvent>();
        await foreach (var e in store.ReadStreamAsync(streamId, fromVersion, maxCount, direction, TestContext.Current.CancellationToken))
        {
            list.Add(e);
        }

        return list;
    }

    public static async Task<List<RecordedEvent>> ReadAllListAsync(this IEventStore store, long fromPosition = 1, int maxCount = int.MaxValue, EventFilter? filter = null)
    {
        var list = new List<RecordedEvent>();
        await foreach (var e in store.ReadAllAsync(fromPosition, maxCount, filter, TestContext.Current.CancellationToken))
        {
            list.Add(e);
        }

        return list;
    }

    public static Task<AppendResult> AppendEventsAsync(this IEventStore store, string streamId, ExpectedVersion expected, params EventData[] events)
        => store.AppendAsync(streamId, expected, events, TestContext.Current.CancellationToken).AsTask();

    /// <summary>JSON payloads compare by meaning: a backend may store them normalised.</summary>
    public static void AssertJsonEqual(ReadOnlyMemory<byte> expected, ReadOnlyMemory<byte> actual)
    {
        var e = JsonNode.Parse(expected.Span);
        var a = JsonNode.Parse(actual.Span);
        Assert.True(JsonNode.DeepEquals(e, a), $"JSON differs.\nexpected: {Truncate(e)}\nactual:   {Truncate(a)}");
    }

    public static void AssertSameEvent(EventData written, RecordedEvent read)
    {
        Assert.Equal(written.EventId, read.EventId);
        Assert.Equal(written.EventType, read.EventType);
        Assert.Equal(written.ContentType, read.ContentType);
        if (ContentTypes.IsJson(written.ContentType))
        {
            AssertJsonEqual(written.Data, read.Data);
        }
        else
        {
            Assert.True(written.Data.Span.SequenceEqual(read.Data.Span), $"payload of {written.EventType} differs ({written.Data.Length} bytes written, {read.Data.Length} read)");
        }

        Assert.True(written.Metadata.ContentEquals(read.Metadata), $"metadata of {written.EventType} differs");
    }

    /// <summary>The log's positions are strictly increasing (never assumed contiguous).</summary>
    public static void AssertStrictlyIncreasing(IReadOnlyList<RecordedEvent> events)
    {
        for (var i = 1; i < events.Count; i++)
        {
            Assert.True(events[i].Position > events[i - 1].Position, $"position {events[i].Position} at index {i} does not follow {events[i - 1].Position}");
        }
    }

    private static string Truncate(JsonNode? node)
    {
        var s = node?.ToJsonString() ?? "null";
        return s.Length > 200 ? s[..200] + "..." : s;
    }
}
