using System.Text.Json.Nodes;

namespace Eventuali.Conformance.Migrations;

/// <summary>Checks that a store still holds every event of <see cref="V1StoreEvents"/>, intact and in order.</summary>
public static class V1StoreVerifier
{
    public static int EventCount => V1StoreEvents.Appends.Sum(a => a.Events.Length);

    /// <summary>The first events of the log and each stream are exactly the v1 events (later appends may follow).</summary>
    public static async Task VerifyAsync(IEventStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var ct = TestContext.Current.CancellationToken;
        var log = new List<RecordedEvent>();
        await foreach (var e in store.ReadAllAsync(1, EventCount, null, ct))
        {
            log.Add(e);
        }

        Assert.Equal(EventCount, log.Count);
        var versions = new Dictionary<string, long>();
        var i = 0;
        for (var append = 0; append < V1StoreEvents.Appends.Count; append++)
        {
            var (stream, events) = V1StoreEvents.Appends[append];
            foreach (var written in events)
            {
                var read = log[i];
                var version = versions[stream] = versions.GetValueOrDefault(stream) + 1;
                Assert.Equal(stream, read.StreamId);
                Assert.Equal(version, read.StreamVersion);
                AssertSame(written, read);
                Assert.Equal(V1StoreEvents.StampOf(append), read.Timestamp);
                if (i > 0)
                {
                    Assert.True(read.Position > log[i - 1].Position, $"position {read.Position} does not follow {log[i - 1].Position}");
                }

                i++;
            }
        }

        foreach (var (stream, count) in versions)
        {
            var fromStream = new List<RecordedEvent>();
            await foreach (var e in store.ReadStreamAsync(stream, StreamVersion.Start, (int)count, ReadDirection.Forward, ct))
            {
                fromStream.Add(e);
            }

            Assert.Equal(log.Where(e => e.StreamId == stream).Select(e => (e.EventId, e.Position)), fromStream.Select(e => (e.EventId, e.Position)));
        }
    }

    private static void AssertSame(EventData written, RecordedEvent read)
    {
        Assert.Equal(written.EventId, read.EventId);
        Assert.Equal(written.EventType, read.EventType);
        Assert.Equal(written.ContentType, read.ContentType);
        if (ContentTypes.IsJson(written.ContentType))
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(written.Data.Span), JsonNode.Parse(read.Data.Span)), $"JSON payload of {written.EventId} differs");
        }
        else
        {
            Assert.True(written.Data.Span.SequenceEqual(read.Data.Span), $"payload of {written.EventId} differs");
        }

        Assert.True(written.Metadata.ContentEquals(read.Metadata), $"metadata of {written.EventId} differs");
    }

    /// <summary>tests/fixtures/v1/<paramref name="name"/>, found by walking up from the test binaries to the repository.</summary>
    public static string FixturePath(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "v1", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"tests/fixtures/v1/{name} not found above {AppContext.BaseDirectory}.");
    }
}
