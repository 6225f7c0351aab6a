using System.Text;
using Eventuali.InMemory;
using Eventuali.Typed;

namespace Eventuali.Core.Tests;

/// <summary>A process that has written nothing yet can still load aggregates: their event types register on first load.</summary>
public sealed class FreshProcessLoadTests
{
    [EventType("fresh-opened")]
    public sealed record Opened(string Id, string Name);

    [EventType("fresh-renamed")]
    public sealed record Renamed(string Name);

    public sealed class Thing : Aggregate
    {
        public string Name { get; private set; } = "";

        private void Apply(Opened e) => (Id, Name) = (e.Id, e.Name);

        private void Apply(Renamed e) => Name = e.Name;
    }

    [Fact]
    public async Task Load_registers_the_aggregates_event_types_on_first_use()
    {
        var ct = TestContext.Current.CancellationToken;
        var registry = new EventTypeRegistry();
        await using var store = new InMemoryEventStore(new EventStoreOptions { Types = registry });
        Assert.False(registry.TryGetType("fresh-opened", out _));

        // Stored by "another process": raw JSON under the stable type names, nothing registered here.
        await store.AppendAsync("thing-t1", ExpectedVersion.NoStream,
        [
            EventData.Create("fresh-opened", Encoding.UTF8.GetBytes("""{"id":"t1","name":"first"}""")),
            EventData.Create("fresh-renamed", Encoding.UTF8.GetBytes("""{"name":"second"}""")),
        ], ct);

        var thing = await store.LoadAsync<Thing>("t1", ct);

        Assert.NotNull(thing);
        Assert.Equal(("t1", "second", 2L), (thing.Id, thing.Name, thing.Version));
        Assert.True(registry.TryGetType("fresh-renamed", out var type) && type == typeof(Renamed));
    }
}
