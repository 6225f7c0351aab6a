namespace Eventuali.Conformance;

/// <summary>A store closed and opened again keeps everything, and still refuses a stale write.</summary>
public abstract class PersistenceConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    [Fact]
    public async Task Reopened_store_keeps_events_versions_positions_and_refuses_stale_writes()
    {
        if (!Fixture.Persists)
        {
            Assert.Skip($"{Fixture.BackendName} store does not persist");
        }

        var store = await NewStoreAsync();
        var retried = TestData.Many(2);
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Many(3));
        var original = await store.AppendEventsAsync("s-2", ExpectedVersion.NoStream, retried);
        await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(3), TestData.Binary(new byte[] { 0, 1, 2 }));
        var before = await store.ReadAllListAsync();

        store = await Fixture.ReopenAsync(store, Ct);
        await using (store)
        {
            var after = await store.ReadAllListAsync();
            Assert.Equal(before.Count, after.Count);
            for (var i = 0; i < before.Count; i++)
            {
                Assert.Equal((before[i].StreamId, before[i].StreamVersion, before[i].Position, before[i].EventId, before[i].Timestamp), (after[i].StreamId, after[i].StreamVersion, after[i].Position, after[i].EventId, after[i].Timestamp));
            }

            Assert.Equal(4, await store.GetStreamVersionAsync("s-1", Ct));
            Assert.Equal(before[^1].Position, await store.GetHeadPositionAsync(Ct));
            await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.Exact(3), TestData.Json()));
            Assert.Equal(original, await store.AppendEventsAsync("s-2", ExpectedVersion.NoStream, retried));
            var next = await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(4), TestData.Json());
            Assert.Equal(5, next.StreamVersion);
            Assert.True(next.LastPosition > before[^1].Position);
        }
    }
}
