using Eventuali.Extensibility;
using Microsoft.Extensions.Time.Testing;

namespace Eventuali.Core.Tests;

public sealed class AppendValidationTests
{
    private static EventData Event(string type = "t") => new(Guid.NewGuid(), type, "{}"u8.ToArray());

    [Theory]
    [InlineData("", "Stream id must not be empty or white space.")]
    [InlineData(" \t", "Stream id must not be empty or white space.")]
    [InlineData("a\0b", "Stream id must not contain a NUL character.")]
    public void Invalid_stream_ids_say_what_is_wrong(string id, string message)
    {
        var ex = Assert.Throws<InvalidStreamIdException>(() => AppendValidation.ValidateStreamId(id));
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
        Assert.Equal("streamId", ex.ParamName);
    }

    [Fact]
    public void Too_long_stream_id_names_its_length_and_the_limit()
    {
        AppendValidation.ValidateStreamId(new string('x', AppendValidation.MaxStreamIdLength));
        var ex = Assert.Throws<InvalidStreamIdException>(() => AppendValidation.ValidateStreamId(new string('x', 1001)));
        Assert.StartsWith("Stream id is 1001 characters; the maximum is 1000.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_stream_id_and_null_events_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => AppendValidation.ValidateStreamId(null!));
        Assert.Throws<ArgumentNullException>(() => AppendValidation.Validate("s", null!));
    }

    [Fact]
    public void Empty_append_names_the_stream()
    {
        var ex = Assert.Throws<ArgumentException>(() => AppendValidation.Validate("orders-1", []));
        Assert.StartsWith("Append to stream 'orders-1' has no events; pass at least one.", ex.Message, StringComparison.Ordinal);
        Assert.Equal("events", ex.ParamName);
    }

    [Fact]
    public void Null_event_names_its_index()
    {
        var ex = Assert.Throws<ArgumentException>(() => AppendValidation.Validate("s", [Event(), null!]));
        Assert.StartsWith("Event 1 of the append to stream 's' is null.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nul_in_a_type_name_names_the_event()
    {
        var ex = Assert.Throws<ArgumentException>(() => AppendValidation.Validate("s", [Event(), Event(), Event("x\0y")]));
        Assert.StartsWith("Event 2 of the append to stream 's' has a type name with a NUL character.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Repeated_event_id_names_the_id()
    {
        var e = Event();
        var ex = Assert.Throws<ArgumentException>(() => AppendValidation.Validate("s", [e, Event(), e]));
        Assert.StartsWith($"Event id {e.EventId} appears twice in one append to stream 's'.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lone_surrogates_in_a_stream_id_are_refused()
    {
        // Not [InlineData]: attribute strings are stored as UTF-8, which would replace the lone surrogates.
        foreach (var id in new[] { "a\uD800", "\uDC00a", "\uDE00\uD83D" })
        {
            var ex = Assert.Throws<InvalidStreamIdException>(() => AppendValidation.ValidateStreamId(id));
            Assert.StartsWith("Stream id contains a lone surrogate character", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Unstorable_metadata_names_the_event_and_the_field()
    {
        var e = new EventData(Guid.NewGuid(), "t", "{}"u8.ToArray(), new EventMetadata(Headers: new Dictionary<string, string> { ["k"] = "a\0" }));
        var ex = Assert.Throws<ArgumentException>(() => AppendValidation.Validate("s", [Event(), e]));
        Assert.StartsWith("Event 1 of the append to stream 's' has a header with a NUL or lone surrogate character", ex.Message, StringComparison.Ordinal);
        var t = new EventData(Guid.NewGuid(), "t\uD800", "{}"u8.ToArray());
        Assert.Contains("has a type name with", Assert.Throws<ArgumentException>(() => AppendValidation.Validate("s", [t])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_appends_pass()
    {
        AppendValidation.Validate("s", [Event()]);
        AppendValidation.Validate("🎉 x'); DROP TABLE events;--", [Event(), Event("\" OR 1=1 --")]);
        AppendValidation.ValidateStreamId("pair-\uD83D\uDE00-ok");
        AppendValidation.Validate("s", [new EventData(Guid.NewGuid(), "😀", "{}"u8.ToArray(), new EventMetadata("😀", "c", "a", new Dictionary<string, string> { ["😀"] = "" }))]);
    }

    [Fact]
    public void Stamp_is_utc_and_truncated_to_the_microsecond()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1_234_567));
        var stamp = AppendValidation.Stamp(clock);
        Assert.Equal(new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1_234_560), stamp);
        Assert.Equal(TimeSpan.Zero, stamp.Offset);
        clock.Advance(TimeSpan.FromTicks(3));
        Assert.Equal(stamp.AddTicks(10), AppendValidation.Stamp(clock));
    }

    [Fact]
    public void Event_data_refuses_an_empty_id_type_or_content_type()
    {
        Assert.Throws<ArgumentException>(() => new EventData(Guid.Empty, "t", ReadOnlyMemory<byte>.Empty));
        Assert.Throws<ArgumentException>(() => new EventData(Guid.NewGuid(), " ", ReadOnlyMemory<byte>.Empty));
        Assert.Throws<ArgumentNullException>(() => new EventData(Guid.NewGuid(), null!, ReadOnlyMemory<byte>.Empty));
        Assert.Throws<ArgumentException>(() => new EventData(Guid.NewGuid(), "t", ReadOnlyMemory<byte>.Empty, null, ""));
    }

    [Fact]
    public void New_event_ids_are_time_ordered_uuid_v7()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var first = EventData.NewEventId(clock);
        clock.Advance(TimeSpan.FromMilliseconds(2));
        var second = EventData.Create("t", ReadOnlyMemory<byte>.Empty, timeProvider: clock).EventId;
        Assert.Equal((7, 7), (first.Version, second.Version));
        Assert.True(first.CompareTo(second) < 0);
        var json = EventData.Json("t", "{\"a\":\"é\"}");
        Assert.Equal((ContentTypes.Json, "{\"a\":\"é\"}"), (json.ContentType, System.Text.Encoding.UTF8.GetString(json.Data.Span)));
        Assert.Same(EventMetadata.Empty, json.Metadata);
    }

    [Fact]
    public void Metadata_compares_by_content()
    {
        var a = new EventMetadata("c", "k", "u", new Dictionary<string, string> { ["x"] = "1", ["y"] = "" });
        var b = new EventMetadata("c", "k", "u", new Dictionary<string, string> { ["y"] = "", ["x"] = "1" });
        Assert.True(a.ContentEquals(b));
        Assert.False(a.ContentEquals(b with { ActorId = "v" }));
        Assert.False(a.ContentEquals(new EventMetadata("c", "k", "u", new Dictionary<string, string> { ["x"] = "1" })));
        Assert.True(EventMetadata.Empty.ContentEquals(null));
        Assert.True(new EventMetadata(Headers: new Dictionary<string, string>()).ContentEquals(EventMetadata.Empty));
        Assert.False(a.ContentEquals(null));
        Assert.True(EventMetadata.Empty.IsEmpty);
        Assert.False(a.IsEmpty);
    }

    [Fact]
    public void Error_messages_name_what_went_wrong()
    {
        var dup = new DuplicateEventIdException(Guid.Empty, "s-2", "s-1", 3);
        Assert.Contains("'s-2'", dup.Message, StringComparison.Ordinal);
        Assert.Contains("stream 's-1' at version 3", dup.Message, StringComparison.Ordinal);
        var recorded = new RecordedEvent("s-1", 4, 99, Guid.NewGuid(), "t.v1", ReadOnlyMemory<byte>.Empty, EventMetadata.Empty, DateTimeOffset.UnixEpoch, ContentTypes.Json);
        var des = new EventDeserializationException(recorded, "broken");
        Assert.Equal("Cannot read event 't.v1' at stream 's-1' version 4 (position 99): broken", des.Message);
    }
}
