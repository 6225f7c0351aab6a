using Eventuali.Lifecycle;

namespace Eventuali.Conformance;

/// <summary>Helpers shared by the lifecycle conformance classes.</summary>
internal static class LifecycleTestKit
{
    public static IStreamLifecycle Life(this IEventStore store) => store.GetStreamLifecycle();

    public static async Task<List<RecordedEvent>> ReadArchivedListAsync(this IEventStore store, string streamId, long fromVersion = StreamVersion.Start, ReadDirection direction = ReadDirection.Forward)
    {
        var list = new List<RecordedEvent>();
        await foreach (var e in store.Life().ReadArchivedStreamAsync(streamId, fromVersion, int.MaxValue, direction, TestContext.Current.CancellationToken))
        {
            list.Add(e);
        }

        return list;
    }

    public static async Task<List<RecordedEvent>> ReadWithArchiveListAsync(this IEventStore store, string streamId, long fromVersion = StreamVersion.Start, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward)
    {
        var list = new List<RecordedEvent>();
        await foreach (var e in store.ReadStreamWithArchiveAsync(streamId, fromVersion, maxCount, direction, TestContext.Current.CancellationToken))
        {
            list.Add(e);
        }

        return list;
    }

    public static async Task<List<string>> ListAsync(this IEventStore store, string? prefix = null)
    {
        var list = new List<string>();
        await foreach (var name in store.Life().ListStreamsAsync(prefix, TestContext.Current.CancellationToken))
        {
            list.Add(name);
        }

        return list;
    }

    /// <summary>The ids of the global log's events that belong to <paramref name="streamId"/>.</summary>
    public static async Task<List<Guid>> LogIdsOfAsync(this IEventStore store, string streamId)
        => [.. (await store.ReadAllListAsync()).Where(e => e.StreamId == streamId).Select(e => e.EventId)];

    public static long[] Versions(this IEnumerable<RecordedEvent> events) => [.. events.Select(e => e.StreamVersion)];
}
