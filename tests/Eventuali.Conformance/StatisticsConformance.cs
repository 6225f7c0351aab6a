using Eventuali.Statistics;

namespace Eventuali.Conformance;

/// <summary><see cref="IStoreStatistics"/>: counts per store, event type and category, and the size on disk.</summary>
public abstract class StatisticsConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    [Fact]
    public async Task An_empty_store_counts_nothing()
    {
        await using var store = await NewStoreAsync();
        var stats = await Statistics(store).GetStatisticsAsync(Ct);
        Assert.Equal(0, stats.Streams);
        Assert.Equal(0, stats.Events);
        Assert.Empty(stats.EventTypes);
        Assert.Empty(stats.Categories);
        Assert.Equal(Fixture.Persists, stats.SizeOnDiskBytes is > 0);
    }

    [Fact]
    public async Task Counts_per_type_and_category_match_what_was_appended()
    {
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync("order-1", ExpectedVersion.NoStream, TestData.Json("placed"), TestData.Json("paid"), TestData.Json("paid"));
        await store.AppendEventsAsync("order-2", ExpectedVersion.NoStream, TestData.Json("placed"));
        await store.AppendEventsAsync("account-a", ExpectedVersion.NoStream, TestData.Json("opened"));
        await store.AppendEventsAsync("account-a", ExpectedVersion.Exact(1), TestData.Json("deposited"));
        await store.AppendEventsAsync("misc", ExpectedVersion.NoStream, TestData.Json("noted"));
        await store.AppendEventsAsync("-odd", ExpectedVersion.NoStream, TestData.Binary(new byte[] { 1, 2 }, "noted"));

        var stats = await Statistics(store).GetStatisticsAsync(Ct);
        Assert.Equal(5, stats.Streams);
        Assert.Equal(8, stats.Events);
        Assert.Equal(
            [new("deposited", 1), new("noted", 2), new("opened", 1), new("paid", 2), new EventTypeCount("placed", 2)],
            stats.EventTypes);
        Assert.Equal(
            [new("", 2, 2), new("account", 1, 2), new CategoryCount("order", 2, 4)],
            stats.Categories);
    }

    [Fact]
    public async Task Size_on_disk_grows_with_the_log()
    {
        if (!Fixture.Persists)
        {
            Assert.Skip($"{Fixture.BackendName} keeps the store in process memory: there is no size on disk.");
        }

        await using var store = await NewStoreAsync();
        var before = (await Statistics(store).GetStatisticsAsync(Ct)).SizeOnDiskBytes!.Value;
        for (var s = 0; s < 20; s++)
        {
            // Random text: a backend that compresses payloads (PostgreSQL TOAST) cannot shrink it much.
            await store.AppendAsync("bulk-" + s, ExpectedVersion.NoStream, [.. Enumerable.Range(0, 50).Select(i => TestData.Json("filled", $$"""{"i":{{i}},"text":"{{Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(1500))}}"}"""))], Ct);
        }

        var after = (await Statistics(store).GetStatisticsAsync(Ct)).SizeOnDiskBytes!.Value;
        Assert.True(after > before + 1_000_000, $"size grew from {before} to {after} bytes after about 2 MB of events");
    }

    private static IStoreStatistics Statistics(IEventStore store) => Assert.IsAssignableFrom<IStoreStatistics>(store.GetFeature<IStoreStatistics>());
}
