using System.Text.Json;
using Eventuali.Tools.ChangeEvents;

namespace Eventuali.Tools.Tests;

public sealed class DebeziumChangeEventTests
{
    [Fact]
    public void An_event_becomes_an_insert_change_event_with_source_and_embedded_json()
    {
        var at = new DateTimeOffset(2026, 2, 3, 4, 5, 6, 789, TimeSpan.Zero);
        var e = new RecordedEvent("order-42", 3, 1001, Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), "OrderPlaced",
            "{\"amount\":12.5}"u8.ToArray(), new EventMetadata("corr", "cause", "alice", new Dictionary<string, string> { ["tenant"] = "t1" }), at, ContentTypes.Json);

        using var doc = JsonDocument.Parse(DebeziumChangeEvent.Format(e, "shop", at.AddSeconds(1)));
        var root = doc.RootElement;

        Assert.Equal(JsonValueKind.Null, root.GetProperty("before").ValueKind);
        Assert.Equal("c", root.GetProperty("op").GetString());
        Assert.Equal(at.AddSeconds(1).ToUnixTimeMilliseconds(), root.GetProperty("ts_ms").GetInt64());
        var after = root.GetProperty("after");
        Assert.Equal(1001, after.GetProperty("position").GetInt64());
        Assert.Equal("order-42", after.GetProperty("stream_id").GetString());
        Assert.Equal(12.5, after.GetProperty("data").GetProperty("amount").GetDouble());
        Assert.Equal("t1", after.GetProperty("headers").GetProperty("tenant").GetString());
        Assert.Equal("cause", after.GetProperty("causation_id").GetString());
        var source = root.GetProperty("source");
        Assert.Equal(("eventuali", "shop", "order", 1001L, at.ToUnixTimeMilliseconds()),
            (source.GetProperty("connector").GetString(), source.GetProperty("name").GetString(), source.GetProperty("table").GetString(), source.GetProperty("pos").GetInt64(), source.GetProperty("ts_ms").GetInt64()));
        Assert.Equal("{\"stream_id\":\"order-42\"}", DebeziumChangeEvent.FormatKey(e));
    }

    [Fact]
    public void A_binary_payload_is_carried_as_base64()
    {
        var e = new RecordedEvent("blob-1", 1, 1, Guid.NewGuid(), "Blob", new byte[] { 1, 2, 3 }, EventMetadata.Empty, DateTimeOffset.UnixEpoch, ContentTypes.Binary);
        using var doc = JsonDocument.Parse(DebeziumChangeEvent.Format(e, "s", DateTimeOffset.UnixEpoch));
        Assert.Equal("AQID", doc.RootElement.GetProperty("after").GetProperty("data").GetString());
    }
}
