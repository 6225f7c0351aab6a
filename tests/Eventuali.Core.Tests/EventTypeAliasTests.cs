using Eventuali.Typed;

namespace Eventuali.Core.Tests;

public sealed class EventTypeAliasTests
{
    [EventType("alias-test.renamed", Version = 3)]
    private sealed record Renamed(string Value);

    [EventType("alias-test.old")]
    private sealed record Old(string Value);

    [EventType("alias-test.new")]
    private sealed record New(string Value, int Extra);

    private static RecordedEvent Stored(string type, string json)
        => new("s-1", 1, 1, Guid.NewGuid(), type, System.Text.Encoding.UTF8.GetBytes(json), new EventMetadata(), DateTimeOffset.UnixEpoch, ContentTypes.Json);

    [Fact]
    public void Events_stored_under_an_alias_are_read_as_the_type_and_new_events_keep_its_own_name()
    {
        var types = new EventTypeRegistry().AddAlias<Renamed>("alias-test.before");

        Assert.Equal(new Renamed("x"), types.Deserialize(Stored("alias-test.before", """{"value":"x"}""")));
        Assert.Equal("alias-test.renamed", types.ToEventData(new Renamed("y")).EventType);
        Assert.Equal(["alias-test.before"], types.Aliases.Select(a => a.Key));
        Assert.Equal(["alias-test.renamed"], types.RegisteredTypes.Select(t => t.Key));
    }

    [Fact]
    public void An_alias_cannot_take_a_name_another_type_has()
    {
        var types = new EventTypeRegistry().Register<Old>();
        var error = Assert.Throws<ArgumentException>(() => types.AddAlias<Renamed>("alias-test.old"));
        Assert.Contains("'alias-test.old' is already registered for", error.Message);
        Assert.Contains("cannot make it an alias of", error.Message);
    }

    [Fact]
    public void The_registry_lists_upcast_targets_and_the_attribute_carries_a_version()
    {
        var types = new EventTypeRegistry().AddUpcaster<Old, New>(o => new New(o.Value, 0));
        Assert.Equal(typeof(New), types.UpcastTargetOf(typeof(Old)));
        Assert.Null(types.UpcastTargetOf(typeof(New)));
        Assert.Equal(["alias-test.new", "alias-test.old"], types.RegisteredTypes.Select(t => t.Key));
        Assert.Equal(3, typeof(Renamed).GetCustomAttributes(typeof(EventTypeAttribute), false).Cast<EventTypeAttribute>().Single().Version);
    }
}
