using Eventuali.Core.Tests.Protos;
using Eventuali.InMemory;
using Eventuali.Typed;
using Google.Protobuf;

namespace Eventuali.Core.Tests;

public sealed class TransferLedger : Aggregate
{
    public long TotalCents { get; private set; }

    public List<string> Cancelled { get; } = [];

    public void Make(string id, long cents, string memo)
    {
        if (string.IsNullOrEmpty(Id))
        {
            Id = "ledger";
        }

        Raise(new TransferMade { TransferId = id, AmountCents = cents, Memo = memo, Tags = { "a", "b" }, Attachment = ByteString.CopyFrom(0, 255, 7) });
    }

    public void Cancel(string id) => Raise(new TransferCancelled { TransferId = id });

    private void Apply(TransferMade e) => TotalCents += e.AmountCents;

    private void Apply(TransferCancelled e) => Cancelled.Add(e.TransferId);
}

public sealed class ProtobufEventSerializerTests
{
    // Protocol Buffers is a default serializer once registered (the package Eventuali does it on load).
    static ProtobufEventSerializerTests() => EventTypeRegistry.AddDefaultSerializer(new ProtobufEventSerializer());

    private static readonly TransferMade Message = new()
    {
        TransferId = "t-1",
        AmountCents = 123_456_789_012,
        Memo = "Grüße 👋",
        Tags = { "x", "y" },
        Attachment = ByteString.CopyFrom(1, 2, 3, 0),
    };

    [Fact]
    public void Handles_generated_messages_only()
    {
        var serializer = new ProtobufEventSerializer();
        Assert.True(serializer.CanSerialize(typeof(TransferMade)));
        Assert.False(serializer.CanSerialize(typeof(ItemAdded)));
        Assert.Equal(ContentTypes.Protobuf, serializer.ContentType);
        Assert.Throws<ArgumentException>(() => serializer.Serialize(new ItemAdded("s", 1), typeof(ItemAdded)));
    }

    [Fact]
    public void Writes_the_protobuf_wire_format_and_reads_it_back()
    {
        var serializer = new ProtobufEventSerializer();
        var bytes = serializer.Serialize(Message, typeof(TransferMade));
        Assert.Equal(Message.ToByteArray(), bytes);
        Assert.Equal(Message, TransferMade.Parser.ParseFrom(bytes));
        Assert.Equal(Message, serializer.Deserialize(bytes, typeof(TransferMade)));
        Assert.Equal(new TransferMade(), serializer.Deserialize([], typeof(TransferMade)));
    }

    [Fact]
    public void Registry_picks_protobuf_for_messages_and_json_for_the_rest()
    {
        var types = new EventTypeRegistry().Register<TransferMade>("transfer-made");
        var proto = types.ToEventData(Message);
        Assert.Equal((ContentTypes.Protobuf, "transfer-made"), (proto.ContentType, proto.EventType));
        Assert.Equal(Message.ToByteArray(), proto.Data.ToArray());
        Assert.Equal(ContentTypes.Json, types.ToEventData(new ItemAdded("s", 1)).ContentType);
        Assert.Equal(Message, types.Deserialize(EventTypeRegistryTests.Recorded("transfer-made", proto.Data.ToArray(), ContentTypes.Protobuf)));
    }

    [Fact]
    public void Corrupt_protobuf_bytes_fail_with_a_deserialization_error()
    {
        var types = new EventTypeRegistry().Register<TransferMade>("transfer-made");
        var ex = Assert.Throws<EventDeserializationException>(() => types.Deserialize(EventTypeRegistryTests.Recorded("transfer-made", [0x0A, 0xFF, 0xFF], ContentTypes.Protobuf)));
        Assert.IsType<InvalidProtocolBufferException>(ex.InnerException);
        Assert.Equal("transfer-made", ex.EventType);
    }

    [Fact]
    public async Task Protobuf_events_of_an_aggregate_round_trip_through_a_store()
    {
        var types = new EventTypeRegistry().Register<TransferMade>("transfer-made").Register<TransferCancelled>("transfer-cancelled");
        await using var store = new InMemoryEventStore(new EventStoreOptions { Types = types });
        var ledger = new TransferLedger();
        ledger.Make("t-1", 500, "rent");
        ledger.Make("t-2", 250, "food");
        ledger.Cancel("t-2");
        await store.SaveAsync(ledger, cancellationToken: TestContext.Current.CancellationToken);

        var loaded = await store.LoadAsync<TransferLedger>("ledger", TestContext.Current.CancellationToken);
        Assert.NotNull(loaded);
        Assert.Equal((750L, 3L), (loaded.TotalCents, loaded.Version));
        Assert.Equal(["t-2"], loaded.Cancelled);
        await foreach (var e in store.ReadStreamAsync("transfer-ledger-ledger", cancellationToken: TestContext.Current.CancellationToken))
        {
            Assert.Equal(ContentTypes.Protobuf, e.ContentType);
        }
    }
}
