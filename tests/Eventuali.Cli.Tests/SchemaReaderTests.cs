using Eventuali.Cli.Schema;
using Eventuali.Typed;
using Google.Protobuf.WellKnownTypes;

namespace Eventuali.Cli.Tests;

/// <summary>The shapes the schema file records, read in process: protobuf messages by their descriptor, JSON events by their JSON Schema.</summary>
public sealed class SchemaReaderTests
{
    private sealed record Shipped(string OrderId, int? Parcels, List<string> Labels);

    [Fact]
    public void Protobuf_events_are_described_by_their_message_descriptor_and_json_events_by_their_schema()
    {
        var types = new EventTypeRegistry(new ProtobufEventSerializer(), new JsonEventSerializer())
            .Register<Duration>("timer-set")
            .Register<Shipped>("order-shipped");

        var snapshot = SchemaReader.Read(types);

        var proto = snapshot.Find("timer-set")!;
        Assert.Equal(ContentTypes.Protobuf, proto.ContentType);
        Assert.Equal(["seconds: int64 #1", "nanos: int32 #2"], proto.Fields.Select(f => $"{f.Name}: {f.Type}"));
        Assert.Null(proto.JsonSchema);

        var json = snapshot.Find("order-shipped")!;
        Assert.Equal(ContentTypes.Json, json.ContentType);
        Assert.Equal(["orderId: string", "parcels: string|integer?", "labels: array<string>"], json.Fields.Select(f => $"{f.Name}: {f.Type}"));
        Assert.Equal(["String", "Int32?", "List<String>"], json.Fields.Select(f => f.ClrType));
        Assert.NotNull(json.JsonSchema);
    }

    [Fact]
    public void The_schema_file_round_trips()
    {
        var types = new EventTypeRegistry().Register<Shipped>("order-shipped");
        var snapshot = SchemaReader.Read(types);
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, SchemaFile.ToJson(snapshot));
            var read = SchemaFile.Read(path);
            Assert.Equal(1, read.FormatVersion);
            Assert.Equal(snapshot.Types.Single().Fields, read.Types.Single().Fields);
            Assert.Empty(SchemaDiff.Compare(read, snapshot));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
