using Eventuali.Import;

namespace Eventuali.Conformance;

/// <summary>
/// <see cref="IEventImporter"/>: an append that keeps the events' original time. Same checks as AppendAsync;
/// importing at the original versions a second time writes nothing.
/// </summary>
public abstract class ImportConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    private static readonly DateTimeOffset Then = new(2021, 3, 4, 5, 6, 7, TimeSpan.FromHours(2));

    [Fact]
    public async Task Imported_events_keep_the_given_time_to_the_microsecond_in_utc()
    {
        await using var store = await NewStoreAsync();
        var importer = Importer(store);
        var time = Then.AddTicks(1234567); // 123.4567 ms: the last tick digit is below a microsecond
        var batch = TestData.Many(3);
        var result = await importer.ImportAsync("order-1", ExpectedVersion.NoStream, batch, time, Ct);
        Assert.Equal(3, result.StreamVersion);

        var read = await store.ReadStreamListAsync("order-1");
        Assert.Equal(3, read.Count);
        for (var i = 0; i < 3; i++)
        {
            TestData.AssertSameEvent(batch[i], read[i]);
            Assert.Equal(time.UtcDateTime.AddTicks(-7), read[i].Timestamp.UtcDateTime);
            Assert.Equal(TimeSpan.Zero, read[i].Timestamp.Offset);
        }

        Assert.Equal(result.LastPosition, read[^1].Position);
        Assert.Equal(ImportValidation.Normalize(time), read[0].Timestamp);
    }

    [Fact]
    public async Task Importing_the_same_events_again_returns_the_original_result_and_writes_nothing()
    {
        await using var store = await NewStoreAsync();
        var importer = Importer(store);
        var first = TestData.Many(2);
        var second = TestData.Many(2);
        var r1 = await importer.ImportAsync("s-1", ExpectedVersion.Exact(0), first, Then, Ct);
        var r2 = await importer.ImportAsync("s-1", ExpectedVersion.Exact(2), second, Then.AddSeconds(1), Ct);
        var head = await store.GetHeadPositionAsync(Ct);

        Assert.Equal(r1, await importer.ImportAsync("s-1", ExpectedVersion.Exact(0), first, Then, Ct));
        Assert.Equal(r2, await importer.ImportAsync("s-1", ExpectedVersion.Exact(2), second, Then.AddSeconds(1), Ct));
        Assert.Equal(head, await store.GetHeadPositionAsync(Ct));
        Assert.Equal(4, (await store.ReadAllListAsync()).Count);
    }

    [Fact]
    public async Task A_wrong_expected_version_is_a_conflict_and_writes_nothing()
    {
        await using var store = await NewStoreAsync();
        var importer = Importer(store);
        var conflict = await Assert.ThrowsAsync<ConcurrencyException>(async () => await importer.ImportAsync("s-1", ExpectedVersion.Exact(4), TestData.Many(1), Then, Ct));
        Assert.Null(conflict.ActualVersion);
        await importer.ImportAsync("s-1", ExpectedVersion.NoStream, TestData.Many(2), Then, Ct);
        await Assert.ThrowsAsync<ConcurrencyException>(async () => await importer.ImportAsync("s-1", ExpectedVersion.NoStream, TestData.Many(1), Then, Ct));
        Assert.Equal(2, (await store.ReadAllListAsync()).Count);
    }

    [Fact]
    public async Task An_event_id_stored_in_another_stream_is_refused()
    {
        await using var store = await NewStoreAsync();
        var importer = Importer(store);
        var e = TestData.Json();
        await store.AppendEventsAsync("a-1", ExpectedVersion.NoStream, e);
        var duplicate = await Assert.ThrowsAsync<DuplicateEventIdException>(async () => await importer.ImportAsync("b-1", ExpectedVersion.NoStream, [e], Then, Ct));
        Assert.Equal("a-1", duplicate.ExistingStreamId);
        Assert.Empty(await store.ReadStreamListAsync("b-1"));
    }

    [Fact]
    public async Task Imports_and_appends_mix_in_one_stream_and_one_log()
    {
        await using var store = await NewStoreAsync();
        var importer = Importer(store);
        await importer.ImportAsync("s-1", ExpectedVersion.NoStream, TestData.Many(2), Then, Ct);
        await store.AppendEventsAsync("s-1", ExpectedVersion.Exact(2), TestData.Json());
        await importer.ImportAsync("s-1", ExpectedVersion.Exact(3), TestData.Many(1), Then.AddDays(1), Ct);
        var read = await store.ReadStreamListAsync("s-1");
        Assert.Equal([1L, 2, 3, 4], read.Select(e => e.StreamVersion));
        Assert.Equal(Then.AddDays(1), read[3].Timestamp);
        Assert.True(read[2].Timestamp > Then.AddDays(1), "the appended event is stamped by the store clock");
        TestData.AssertStrictlyIncreasing(await store.ReadAllListAsync());
    }

    [Fact]
    public async Task Bad_arguments_are_refused_like_an_append()
    {
        await using var store = await NewStoreAsync();
        var importer = Importer(store);
        await Assert.ThrowsAsync<ArgumentException>(async () => await importer.ImportAsync("s-1", ExpectedVersion.Any, [], Then, Ct));
        await Assert.ThrowsAsync<InvalidStreamIdException>(async () => await importer.ImportAsync(" ", ExpectedVersion.Any, TestData.Many(1), Then, Ct));
        Assert.Empty(await store.ReadAllListAsync());
    }

    private static IEventImporter Importer(IEventStore store) => Assert.IsAssignableFrom<IEventImporter>(store.GetFeature<IEventImporter>());
}
