using System.Text;
using System.Text.Json.Nodes;

namespace Eventuali.Conformance;

/// <summary>Payloads: JSON compared by meaning (a backend may normalise it), everything else byte for byte.</summary>
public abstract class PayloadConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    private const int OneMegabyte = 1024 * 1024;

    [Fact]
    public async Task Json_payloads_round_trip_semantically()
    {
        await using var store = await NewStoreAsync();
        string[] payloads =
        [
            "{}",
            "[]",
            """{"amount":12.50,"currency":"EUR","tags":["a","b"],"nested":{"deep":[1,{"x":null}]},"flag":true}""",
            """{"text":"Grüße 👋 مرحبا e\u0301 \"quoted\" back\\slash \n newline","big":12345678901234567890,"neg":-0.000001}""",
            """  {  "spaced"  :  [ 1 , 2 ]  }  """,
            "\"just a string\"",
            "42",
            "null",
        ];
        var events = payloads.Select(p => TestData.Json("json", p)).ToArray();
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, events);
        var read = await store.ReadStreamListAsync("s-1");
        for (var i = 0; i < events.Length; i++)
        {
            TestData.AssertSameEvent(events[i], read[i]);
        }
    }

    [Fact]
    public async Task Json_payload_with_an_escaped_nul_character_round_trips_or_is_refused_cleanly()
    {
        await using var store = await NewStoreAsync();
        var e = TestData.Json("json", """{"s":"before\u0000after"}""");
        if (!Fixture.StoresJsonWithNulCharacters)
        {
            var refused = await Assert.ThrowsAsync<ArgumentException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, e));
            Assert.Contains("'s-1'", refused.Message, StringComparison.Ordinal);
            Assert.Null(await store.GetStreamVersionAsync("s-1", Ct));
            Assert.Empty(await store.ReadAllListAsync());
            return;
        }

        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, e);
        var read = Assert.Single(await store.ReadStreamListAsync("s-1"));
        TestData.AssertSameEvent(e, read);
        Assert.Equal("before\0after", JsonNode.Parse(read.Data.Span)!["s"]!.GetValue<string>());
    }

    [Fact]
    public async Task Binary_payloads_round_trip_byte_for_byte()
    {
        await using var store = await NewStoreAsync();
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var notUtf8 = new byte[] { 0xC3, 0x28, 0xFF, 0xFE, 0x00, 0x7B };
        var events = new[] { TestData.Binary(all), TestData.Binary(notUtf8), TestData.Binary("{\"looks\":\"like json\"}"u8.ToArray()) };
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, events);
        var read = await store.ReadStreamListAsync("s-1");
        for (var i = 0; i < events.Length; i++)
        {
            Assert.Equal(events[i].Data.ToArray(), read[i].Data.ToArray());
            Assert.Equal(ContentTypes.Binary, read[i].ContentType);
        }
    }

    [Fact]
    public async Task Empty_binary_payload_round_trips()
    {
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Binary(ReadOnlyMemory<byte>.Empty));
        var read = Assert.Single(await store.ReadStreamListAsync("s-1"));
        Assert.Equal(0, read.Data.Length);
        Assert.Equal(ContentTypes.Binary, read.ContentType);
    }

    [Fact]
    public async Task One_megabyte_binary_payload_round_trips()
    {
        await using var store = await NewStoreAsync();
        var bytes = new byte[OneMegabyte];
        new Random(20260314).NextBytes(bytes);
        var e = TestData.Binary(bytes);
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, e, TestData.Json());
        var read = await store.ReadStreamListAsync("s-1");
        Assert.Equal(2, read.Count);
        Assert.True(bytes.AsSpan().SequenceEqual(read[0].Data.Span), "1 MB binary payload differs");
        var fromLog = Assert.Single(await store.ReadAllListAsync(1, 1));
        Assert.True(bytes.AsSpan().SequenceEqual(fromLog.Data.Span), "1 MB binary payload read from the log differs");
    }

    [Fact]
    public async Task One_megabyte_json_payload_round_trips()
    {
        await using var store = await NewStoreAsync();
        var sb = new StringBuilder("{\"items\":[");
        for (var i = 0; sb.Length < OneMegabyte; i++)
        {
            sb.Append(i == 0 ? string.Empty : ",").Append($$"""{"i":{{i}},"name":"item-{{i}}","ok":{{(i % 2 == 0 ? "true" : "false")}}}""");
        }

        sb.Append("],\"blob\":\"").Append('x', 100_000).Append("\"}");
        var e = TestData.Json("big", sb.ToString());
        Assert.True(e.Data.Length > OneMegabyte);
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, e);
        TestData.AssertSameEvent(e, Assert.Single(await store.ReadStreamListAsync("s-1")));
    }

    [Fact]
    public async Task Invalid_json_under_the_json_content_type_is_refused_cleanly_or_kept_verbatim()
    {
        // The contract lets a backend that stores JSON as JSON refuse it; it must then refuse it with
        // an ArgumentException and write nothing. A backend that accepts it must give the bytes back.
        await using var store = await NewStoreAsync();
        var bad = new EventData(Guid.NewGuid(), "broken", "{\"amount\": \"not a number\""u8.ToArray());
        try
        {
            await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, bad);
        }
        catch (ArgumentException ex)
        {
            Assert.Contains("s-1", ex.Message, StringComparison.Ordinal);
            Assert.Null(await store.GetStreamVersionAsync("s-1", Ct));
            Assert.Equal(0, await store.GetHeadPositionAsync(Ct));
            Assert.Equal(1, (await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Json())).StreamVersion);
            return;
        }

        var read = Assert.Single(await store.ReadStreamListAsync("s-1"));
        Assert.Equal(bad.Data.ToArray(), read.Data.ToArray());
    }

    [Fact]
    public async Task Payload_buffer_changed_after_append_does_not_change_the_stored_event()
    {
        await using var store = await NewStoreAsync();
        var bytes = new byte[] { 1, 2, 3 };
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Binary(bytes));
        bytes[0] = 99;
        Assert.Equal(new byte[] { 1, 2, 3 }, Assert.Single(await store.ReadStreamListAsync("s-1")).Data.ToArray());
    }
}
