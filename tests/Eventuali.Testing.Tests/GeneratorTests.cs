using Eventuali.InMemory;
using Eventuali.SampleDomain;
using Eventuali.Testing.Generation;
using Eventuali.Typed;

namespace Eventuali.Testing.Tests;

public sealed class GeneratorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static EventHistoryGenerator Generator(IEventHistoryDomain domain, int seed, int streams = 20, int events = 12)
        => new(domain, new EventTypeRegistry(), new EventHistoryOptions { Seed = seed, Streams = streams, EventsPerStream = events });

    private static string Fingerprint(EventHistoryGenerator g) => string.Join("\n", g.Generate().SelectMany(s =>
        s.Events.Select(e => $"{s.StreamId} {s.Timestamp:O} {e.EventId} {e.EventType} {System.Text.Encoding.UTF8.GetString(e.Data.Span)}")));

    [Fact]
    public void The_same_seed_gives_the_same_history_and_another_seed_another()
    {
        var first = Fingerprint(Generator(new ShopDomain(), seed: 42));
        Assert.Equal(first, Fingerprint(Generator(new ShopDomain(), seed: 42)));
        Assert.NotEqual(first, Fingerprint(Generator(new ShopDomain(), seed: 43)));
        Assert.Contains("cart-42-000019", first);
    }

    [Fact]
    public async Task Written_streams_are_valid_by_the_domains_rules_and_keep_their_generated_times()
    {
        await using var store = new InMemoryEventStore();
        var summary = await Generator(new ShopDomain(), seed: 7).WriteAsync(store, cancellationToken: Ct);

        Assert.Equal(20, summary.Streams);
        Assert.Equal(summary.Events, await store.GetHeadPositionAsync(Ct));
        var checkedOut = 0;
        for (var i = 0; i < 20; i++)
        {
            // Loading replays every event through the cart's Apply methods; each stream has about the events asked for.
            var cart = await store.LoadAsync<Cart>($"7-{i:D6}", Ct);
            Assert.NotNull(cart);
            Assert.InRange(cart.Version, 11, 12);
            checkedOut += cart.CheckedOut ? 1 : 0;
        }

        Assert.InRange(checkedOut, 1, 20);
        await foreach (var e in store.ReadStreamAsync("cart-7-000003", cancellationToken: Ct))
        {
            Assert.Equal(TestClock.DefaultStart.AddMinutes(3), e.Timestamp);
        }
    }

    [Fact]
    public async Task A_domain_that_throws_is_named_with_the_stream_and_nothing_is_written()
    {
        await using var store = new InMemoryEventStore();
        var error = await Assert.ThrowsAsync<EventGenerationException>(() => Generator(new FaultyShopDomain(), seed: 1, streams: 5).WriteAsync(store, cancellationToken: Ct));

        Assert.Contains("Generator domain 'faulty-shop' failed on stream 2 (seed 1): Cart 1-000002 has no item never-added to remove.", error.Message);
        Assert.Contains("Nothing was written.", error.Message);
        Assert.Equal(0, await store.GetHeadPositionAsync(Ct));
    }

    [Fact]
    public async Task Generating_into_a_store_that_already_has_those_streams_writes_nothing()
    {
        await using var store = new InMemoryEventStore();
        await Generator(new ShopDomain(), seed: 5, streams: 3).WriteAsync(store, cancellationToken: Ct);
        var head = await store.GetHeadPositionAsync(Ct);

        var error = await Assert.ThrowsAsync<EventGenerationException>(() => Generator(new ShopDomain(), seed: 5, streams: 4).WriteAsync(store, cancellationToken: Ct));
        Assert.Contains("Stream 'cart-5-000000' already exists", error.Message);
        Assert.Equal(head, await store.GetHeadPositionAsync(Ct));
    }

    [Fact]
    public void Bad_counts_are_refused_naming_them()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Generator(new ShopDomain(), seed: 1, streams: 0));
        Assert.Contains("Streams must be at least 1", error.Message);
    }
}
