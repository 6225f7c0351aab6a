using Microsoft.Extensions.Time.Testing;

namespace Eventuali.Conformance;

/// <summary>Metadata fields, content types and timestamps come back exactly as given.</summary>
public abstract class MetadataConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    [Fact]
    public async Task Metadata_fields_and_headers_round_trip()
    {
        await using var store = await NewStoreAsync();
        var headers = new Dictionary<string, string>
        {
            ["tenant"] = "acme",
            ["empty"] = string.Empty,
            ["unicode"] = "Grüße 👋 مرحبا e\u0301",
            ["quote'\"\\"] = "'; DROP TABLE events;--",
            ["x-trace"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        };
        var metadata = new EventMetadata("corr-1", "cause-1", "user:alice", headers);
        var e = TestData.Json("with-metadata", """{"a":1}""", metadata);
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, e);

        var fromStream = Assert.Single(await store.ReadStreamListAsync("s-1"));
        var fromLog = Assert.Single(await store.ReadAllListAsync());
        foreach (var read in new[] { fromStream, fromLog })
        {
            Assert.Equal("corr-1", read.Metadata.CorrelationId);
            Assert.Equal("cause-1", read.Metadata.CausationId);
            Assert.Equal("user:alice", read.Metadata.ActorId);
            Assert.NotNull(read.Metadata.Headers);
            Assert.Equal(headers.OrderBy(h => h.Key, StringComparer.Ordinal), read.Metadata.Headers.OrderBy(h => h.Key, StringComparer.Ordinal));
            Assert.True(metadata.ContentEquals(read.Metadata));
        }
    }

    [Fact]
    public async Task Missing_metadata_reads_back_empty_and_partial_metadata_keeps_its_nulls()
    {
        await using var store = await NewStoreAsync();
        var bare = TestData.Json();
        var partial = TestData.Json(metadata: new EventMetadata(ActorId: "bob"));
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, bare, partial);
        var read = await store.ReadStreamListAsync("s-1");
        Assert.True(read[0].Metadata.IsEmpty);
        Assert.Null(read[0].Metadata.CorrelationId);
        Assert.Null(read[1].Metadata.CorrelationId);
        Assert.Null(read[1].Metadata.CausationId);
        Assert.Equal("bob", read[1].Metadata.ActorId);
        Assert.Empty(read[1].Metadata.Headers ?? new Dictionary<string, string>());
    }

    [Fact]
    public async Task Changing_the_headers_dictionary_after_append_does_not_change_the_stored_event()
    {
        await using var store = await NewStoreAsync();
        var headers = new Dictionary<string, string> { ["k"] = "original" };
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Json(metadata: new EventMetadata(Headers: headers)));
        headers["k"] = "changed";
        headers["added"] = "later";
        var read = Assert.Single(await store.ReadStreamListAsync("s-1"));
        Assert.Equal([new KeyValuePair<string, string>("k", "original")], read.Metadata.Headers!);
    }

    [Fact]
    public async Task Content_type_round_trips_verbatim()
    {
        await using var store = await NewStoreAsync();
        var events = new[]
        {
            TestData.Json(),
            new EventData(Guid.NewGuid(), "proto", new byte[] { 8, 150, 1 }, null, ContentTypes.Protobuf),
            new EventData(Guid.NewGuid(), "text", "héllo"u8.ToArray(), null, "text/plain; charset=utf-8"),
            TestData.Binary(new byte[] { 0, 1, 2, 255 }),
        };
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, events);
        var read = await store.ReadStreamListAsync("s-1");
        Assert.Equal(events.Select(e => e.ContentType), read.Select(e => e.ContentType));
        for (var i = 0; i < events.Length; i++)
        {
            TestData.AssertSameEvent(events[i], read[i]);
        }
    }

    [Fact]
    public async Task Timestamp_is_the_clock_at_append_in_UTC_truncated_to_the_microsecond()
    {
        var start = new DateTimeOffset(2026, 3, 14, 15, 9, 26, TimeSpan.Zero).AddTicks(5358979);
        var clock = new FakeTimeProvider(start);
        await using var store = await NewStoreAsync(new EventStoreOptions { TimeProvider = clock });

        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Many(2));
        clock.Advance(TimeSpan.FromTicks(36_000_000_007));
        await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(2), TestData.Json());

        var read = await store.ReadStreamListAsync("s-1");
        var first = new DateTimeOffset(start.Ticks - (start.Ticks % 10), TimeSpan.Zero);
        var later = start.AddTicks(36_000_000_007);
        var second = new DateTimeOffset(later.Ticks - (later.Ticks % 10), TimeSpan.Zero);
        Assert.Equal(first, read[0].Timestamp);
        Assert.Equal(first, read[1].Timestamp);
        Assert.Equal(second, read[2].Timestamp);
        Assert.All(read, e => Assert.Equal(TimeSpan.Zero, e.Timestamp.Offset));
        Assert.Equal(first.UtcTicks, read[0].Timestamp.UtcTicks);
        Assert.Equal(second.UtcTicks, (await store.ReadAllListAsync())[2].Timestamp.UtcTicks);
    }

    [Fact]
    public async Task Timestamps_far_in_the_past_and_future_round_trip()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(10));
        await using var store = await NewStoreAsync(new EventStoreOptions { TimeProvider = clock });
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Json());
        clock.SetUtcNow(new DateTimeOffset(2199, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_999));
        await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(1), TestData.Json());
        var read = await store.ReadStreamListAsync("s-1");
        Assert.Equal(new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(10), read[0].Timestamp);
        Assert.Equal(new DateTimeOffset(2199, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_990), read[1].Timestamp);
    }
}
