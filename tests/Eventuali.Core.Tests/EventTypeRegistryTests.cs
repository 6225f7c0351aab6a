using System.Text;
using Eventuali.Typed;

namespace Eventuali.Core.Tests;

[EventType("registry.item-added")]
public sealed record ItemAdded(string Sku, int Quantity);

[EventType("registry.item-removed")]
public sealed record ItemRemoved(string Sku);

public sealed record PlainEvent(string Value);

public sealed record OtherPlainEvent(string Value);

public sealed record Unregistered(int X);

public sealed record Ping(int N);

public sealed record Pong(int N);

public sealed class EventTypeRegistryTests
{
    [Fact]
    public void Attributed_types_are_named_by_their_attribute_without_registration()
    {
        var types = new EventTypeRegistry();
        Assert.False(types.TryGetType("registry.item-added", out _));
        Assert.Equal("registry.item-added", types.GetName(typeof(ItemAdded)));
        Assert.True(types.TryGetType("registry.item-added", out var t));
        Assert.Equal(typeof(ItemAdded), t);
    }

    [Fact]
    public void RegisterAssembly_registers_every_attributed_type_up_front()
    {
        var types = new EventTypeRegistry().RegisterAssembly(typeof(ItemAdded).Assembly);
        Assert.True(types.TryGetType("registry.item-added", out var added));
        Assert.True(types.TryGetType("registry.item-removed", out var removed));
        Assert.Equal((typeof(ItemAdded), typeof(ItemRemoved)), (added, removed));
        Assert.False(types.TryGetType(typeof(PlainEvent).FullName!, out _));
    }

    [Fact]
    public void Explicit_names_win_and_unattributed_types_default_to_their_full_name()
    {
        var types = new EventTypeRegistry().Register<PlainEvent>("plain.v1").Register<ItemRemoved>("removed-alias").Register<OtherPlainEvent>();
        Assert.Equal("plain.v1", types.GetName(typeof(PlainEvent)));
        Assert.Equal("removed-alias", types.GetName(typeof(ItemRemoved)));
        Assert.Equal(typeof(OtherPlainEvent).FullName, types.GetName(typeof(OtherPlainEvent)));
        Assert.True(types.TryGetType("plain.v1", out var t));
        Assert.Equal(typeof(PlainEvent), t);
    }

    [Fact]
    public void Registering_the_same_type_under_the_same_name_twice_is_harmless()
    {
        var types = new EventTypeRegistry().Register<PlainEvent>("plain").Register<PlainEvent>("plain");
        Assert.Equal("plain", types.GetName(typeof(PlainEvent)));
    }

    [Fact]
    public void A_name_taken_by_another_type_is_refused_naming_both_types()
    {
        var types = new EventTypeRegistry().Register<PlainEvent>("taken");
        var ex = Assert.Throws<ArgumentException>(() => types.Register<OtherPlainEvent>("taken"));
        Assert.Contains("'taken'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(PlainEvent).FullName!, ex.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(OtherPlainEvent).FullName!, ex.Message, StringComparison.Ordinal);
        Assert.Equal("taken", types.GetName(typeof(PlainEvent)));
        Assert.Throws<ArgumentException>(() => types.GetName(typeof(OtherPlainEvent)));
    }

    [Fact]
    public void An_attribute_name_taken_by_another_type_is_refused()
    {
        var types = new EventTypeRegistry().Register<PlainEvent>("registry.item-added");
        var ex = Assert.Throws<ArgumentException>(() => types.GetName(typeof(ItemAdded)));
        Assert.Contains(typeof(ItemAdded).FullName!, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unregistered_type_error_says_how_to_fix_it()
    {
        var types = new EventTypeRegistry();
        var ex = Assert.Throws<ArgumentException>(() => types.GetName(typeof(Unregistered)));
        Assert.Contains(typeof(Unregistered).FullName!, ex.Message, StringComparison.Ordinal);
        Assert.Contains("[EventType(", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Register<Unregistered>", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => types.ToEventData(new Unregistered(1)));
    }

    [Fact]
    public void Event_type_attribute_refuses_an_empty_name()
    {
        Assert.Throws<ArgumentException>(() => new EventTypeAttribute(" "));
        Assert.Throws<ArgumentException>(() => new StreamCategoryAttribute(string.Empty));
    }

    [Fact]
    public void ToEventData_and_Deserialize_round_trip_with_the_stored_name()
    {
        var types = new EventTypeRegistry();
        var id = Guid.NewGuid();
        var metadata = new EventMetadata(ActorId: "a");
        var data = types.ToEventData(new ItemAdded("sku-1", 3), metadata, id);
        Assert.Equal((id, "registry.item-added", ContentTypes.Json), (data.EventId, data.EventType, data.ContentType));
        Assert.Same(metadata, data.Metadata);
        Assert.Equal("""{"sku":"sku-1","quantity":3}""", Encoding.UTF8.GetString(data.Data.Span));
        var back = types.Deserialize(Recorded(data.EventType, data.Data.ToArray()));
        Assert.Equal(new ItemAdded("sku-1", 3), back);
    }

    [Fact]
    public void Unknown_type_name_fails_with_a_deserialization_error_naming_the_event()
    {
        var ex = Assert.Throws<EventDeserializationException>(() => new EventTypeRegistry().Deserialize(Recorded("nobody.knows", "{}"u8.ToArray())));
        Assert.Equal(("s-1", 7L, 42L, "nobody.knows"), (ex.StreamId, ex.StreamVersion, ex.Position, ex.EventType));
        Assert.Contains("not registered", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'s-1' version 7 (position 42)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_payload_fails_with_the_cause_attached()
    {
        // Reading needs the name known up front: attributed types register on first write or via RegisterAssembly.
        var types = new EventTypeRegistry().Register<ItemAdded>();
        var ex = Assert.Throws<EventDeserializationException>(() => types.Deserialize(Recorded("registry.item-added", """{"sku": 1, "quantity": "many"}"""u8.ToArray())));
        Assert.NotNull(ex.InnerException);
        Assert.Contains(nameof(ItemAdded), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Upcasters_compose_and_refuse_a_second_upcaster_from_the_same_type()
    {
        var types = new EventTypeRegistry()
            .Register<PlainEvent>("v1")
            .Register<OtherPlainEvent>("v2")
            .AddUpcaster<PlainEvent, OtherPlainEvent>(p => new OtherPlainEvent(p.Value + "!"))
            .AddUpcaster<OtherPlainEvent, ItemRemoved>(o => new ItemRemoved(o.Value));
        Assert.Equal(new ItemRemoved("x!"), types.Deserialize(Recorded("v1", """{"value":"x"}"""u8.ToArray())));
        Assert.Equal(new ItemRemoved("y"), types.Deserialize(Recorded("v2", """{"value":"y"}"""u8.ToArray())));
        Assert.Throws<ArgumentException>(() => types.AddUpcaster<PlainEvent, ItemAdded>(p => new ItemAdded(p.Value, 1)));
        Assert.Throws<ArgumentException>(() => types.AddUpcaster<Unregistered, PlainEvent>(u => new PlainEvent("u")));
    }

    [Fact]
    public void An_upcaster_cycle_fails_the_read_instead_of_hanging()
    {
        var types = new EventTypeRegistry().Register<Ping>("ping").Register<Pong>("pong")
            .AddUpcaster<Ping, Pong>(p => new Pong(p.N + 1))
            .AddUpcaster<Pong, Ping>(p => new Ping(p.N + 1));
        var ex = Assert.Throws<EventDeserializationException>(() => types.Deserialize(Recorded("ping", """{"n":0}"""u8.ToArray())));
        Assert.Contains("cycle", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failing_upcaster_fails_the_read_naming_the_event()
    {
        var types = new EventTypeRegistry().Register<Ping>("ping").Register<Pong>("pong")
            .AddUpcaster<Ping, Pong>(_ => throw new FormatException("bad old data"));
        var ex = Assert.Throws<EventDeserializationException>(() => types.Deserialize(Recorded("ping", """{"n":0}"""u8.ToArray())));
        Assert.Contains("bad old data", ex.Message, StringComparison.Ordinal);
        Assert.IsType<FormatException>(ex.InnerException);
    }

    internal static RecordedEvent Recorded(string type, byte[] data, string contentType = ContentTypes.Json)
        => new("s-1", 7, 42, Guid.NewGuid(), type, data, EventMetadata.Empty, DateTimeOffset.UnixEpoch, contentType);
}
