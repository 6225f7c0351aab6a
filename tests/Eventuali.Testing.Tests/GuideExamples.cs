using Eventuali.InMemory;
using Eventuali.SampleDomain;
using Eventuali.Testing;
using Eventuali.Testing.Generation;
using Eventuali.Typed;

namespace Eventuali.Testing.Tests;

// The snippets of docs/testing.md, compiled and run here; DocsSnippetTests checks the guide shows them verbatim.
// They show framework-neutral code, so they pass no xUnit cancellation token.
#pragma warning disable xUnit1051
public sealed class GuideExamples
{
    [Fact]
    public async Task Aggregate()
    {
        // snippet: aggregate
        var cart = await Specification.For<Cart>("c1")
            .Given(new CartOpened("c1", "Ann"), new ItemAdded("mug", 1, 8m))
            .When(c => c.Add("tea", 2, 3.5m))
            .Then(new ItemAdded("tea", 2, 3.5m));

        Assert.Equal(15m, cart.Total); // any assertion library: Then returns the aggregate
        // end snippet
    }

    [Fact]
    public async Task Throws()
    {
        // snippet: throws
        var error = await Specification.For<Cart>("c1")
            .Given(new CartOpened("c1", "Ann"))
            .When(c => c.Checkout())
            .ThenThrows<InvalidOperationException>();

        Assert.Contains("is empty", error.Message);
        // end snippet
    }

    [Fact]
    public async Task Commands()
    {
        // snippet: commands
        await Specification.ForCommands(CartRoutes.Register) // the application's own routes
            .Given<Cart>("c1", new CartOpened("c1", "Ann"))
            .When(new AddItem("c1", "mug", 2, 4m), new CheckOut("c1"))
            .Then(new ItemAdded("mug", 2, 4m), new CartCheckedOut("c1", 8m));
        // end snippet
    }

    [Fact]
    public async Task Projection()
    {
        // snippet: projection
        await Specification.ForProjection(new CheckoutTotals())
            .Given("cart-a", new CartOpened("a", "Ann"), new ItemAdded("mug", 2, 4m), new CartCheckedOut("a", 8m))
            .ThenDocument("a", """{ "total": 8 }""")
            .Verify();
        // end snippet
    }

    [Fact]
    public async Task Saga()
    {
        // snippet: saga
        await Specification.ForSaga(ShippingSaga.Definition())
            .When("cart-a", new CartOpened("a", "Ann"))
            .AfterTime(TimeSpan.FromDays(1)) // the fake clock moves; due timeouts fire
            .Then(new CartAbandoned("a"));
        // end snippet
    }

    [Fact]
    public async Task Clock()
    {
        // snippet: clock
        var clock = TestClock.Create(); // a FakeTimeProvider at 2026-01-01T09:00:00Z
        await using var store = new InMemoryEventStore(new EventStoreOptions().WithClock(clock));
        await store.SaveAsync(Cart.Open("c1", "Ann"));
        clock.Advance(TimeSpan.FromDays(2)); // snapshots, retention and saga timeouts see the same time
        // end snippet
        await foreach (var e in store.ReadStreamAsync("cart-c1"))
        {
            Assert.Equal(TestClock.DefaultStart, e.Timestamp);
        }
    }

    [Fact]
    public async Task Generate()
    {
        // snippet: generate
        await using var store = new InMemoryEventStore();
        var generator = new EventHistoryGenerator(new ShopDomain(), store.Options.Types,
            new EventHistoryOptions { Streams = 100, EventsPerStream = 20, Seed = 42 });
        var written = await generator.WriteAsync(store);
        // end snippet
        Assert.Equal(100, written.Streams);
    }

    [Fact]
    public void Types()
    {
        // snippet: types
        var types = new EventTypeRegistry();
        new CartTypes().Configure(types); // the application's IEventTypeSetup
        // end snippet
        Assert.True(types.TryGetType("cart-closed", out var alias));
        Assert.Equal(typeof(CartCheckedOut), alias);
    }
}
