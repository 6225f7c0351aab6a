using Eventuali.Statistics;

namespace Eventuali.Conformance;

/// <summary><see cref="ILogWatermark"/>: the readable head next to the highest committed position.</summary>
public abstract class WatermarkConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    [Fact]
    public async Task An_empty_store_has_both_positions_at_zero()
    {
        await using var store = await NewStoreAsync();
        Assert.Equal(new LogWatermark(0, 0), await Watermark(store).GetLogWatermarkAsync(Ct));
    }

    [Fact]
    public async Task Once_appends_settle_both_positions_are_the_last_one_and_the_readable_head()
    {
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync("order-1", ExpectedVersion.NoStream, TestData.Json("placed"), TestData.Json("paid"));
        var last = await store.AppendEventsAsync("order-2", ExpectedVersion.NoStream, TestData.Json("placed"));

        // A backend may show a commit to readers a moment later (PostgreSQL: until older transactions finish).
        var watermark = await Watermark(store).GetLogWatermarkAsync(Ct);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (watermark.IsHeldBack && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, Ct);
            watermark = await Watermark(store).GetLogWatermarkAsync(Ct);
        }

        Assert.Equal(new LogWatermark(last.LastPosition, last.LastPosition), watermark);
        Assert.False(watermark.IsHeldBack);
        Assert.Equal(await store.GetHeadPositionAsync(Ct), watermark.ReadableHead);
    }

    private static ILogWatermark Watermark(IEventStore store) => Assert.IsAssignableFrom<ILogWatermark>(store.GetFeature<ILogWatermark>());
}
