namespace Eventuali.PostgreSql.Tests;

public sealed class ConcurrencyTests : IAsyncLifetime
{
    private readonly PostgreSqlStoreFixture _stores = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _stores.DisposeAsync();

    private async Task<List<IEventStore>> NodesAsync(PostgreSqlEventStore first, int count)
    {
        var url = PgTestServer.WithSchema(await PgTestServer.UrlAsync(), first.Schema);
        var nodes = new List<IEventStore> { first };
        for (var i = 1; i < count; i++)
        {
            nodes.Add(await PostgreSqlEventStore.OpenAsync(url, EventStoreOptions.Default, TestContext.Current.CancellationToken));
        }

        return nodes;
    }

    [Fact]
    public async Task Racing_appends_on_one_stream_win_each_version_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var nodes = await NodesAsync(await _stores.CreateStoreAsync(purpose: "race"), 4);
        try
        {
            for (var version = 0; version < 5; version++)
            {
                var expected = ExpectedVersion.Exact(version);
                var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
                {
                    try
                    {
                        return (Result: (AppendResult?)await nodes[i % nodes.Count].AppendAsync("contested", expected, [TestEvents.Json()], ct), Error: (ConcurrencyException?)null);
                    }
                    catch (ConcurrencyException ex)
                    {
                        return (null, ex);
                    }
                }, ct)).ToArray();
                var outcomes = await Task.WhenAll(attempts);
                var winners = outcomes.Where(o => o.Result is not null).ToList();
                Assert.Single(winners);
                Assert.Equal(version + 1, winners[0].Result!.Value.StreamVersion);
                Assert.All(outcomes.Where(o => o.Error is not null), o =>
                {
                    Assert.Equal(version + 1, o.Error!.ActualVersion);
                    Assert.Equal(expected, o.Error.ExpectedVersion);
                    Assert.Equal("contested", o.Error.StreamId);
                });
            }

            // Any never conflicts: racing writers get distinct, contiguous versions.
            var any = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(
                async () => await nodes[i % nodes.Count].AppendAsync("contested", ExpectedVersion.Any, [TestEvents.Json()], ct), ct)));
            Assert.Equal(Enumerable.Range(6, 24).Select(v => (long)v), any.Select(r => r.StreamVersion).Order());
            var versions = await nodes[0].ReadStreamAsync("contested", cancellationToken: ct).Select(e => e.StreamVersion).ToListAsync(ct);
            Assert.Equal(Enumerable.Range(1, 29).Select(v => (long)v), versions);
        }
        finally
        {
            foreach (var n in nodes)
            {
                await n.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Retry_of_the_same_append_returns_the_original_result_and_reuse_elsewhere_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await _stores.CreateStoreAsync(purpose: "idem");
        var events = TestEvents.Many(3);
        var first = await store.AppendAsync("order-1", ExpectedVersion.NoStream, events, ct);
        var retry = await store.AppendAsync("order-1", ExpectedVersion.NoStream, events, ct);
        Assert.Equal(first, retry);
        var retryAny = await store.AppendAsync("order-1", ExpectedVersion.Any, events, ct);
        Assert.Equal(first, retryAny);
        Assert.Equal(3, await store.GetStreamVersionAsync("order-1", ct));

        var elsewhere = await Assert.ThrowsAsync<DuplicateEventIdException>(async () => await store.AppendAsync("order-2", ExpectedVersion.Any, [events[0]], ct));
        Assert.Equal("order-1", elsewhere.ExistingStreamId);
        Assert.Equal(1, elsewhere.ExistingVersion);

        var fresh = TestEvents.Json();
        var partial = await Assert.ThrowsAsync<DuplicateEventIdException>(async () => await store.AppendAsync("order-3", ExpectedVersion.Any, [fresh, events[2]], ct));
        Assert.Equal(events[2].EventId, partial.EventId);
        Assert.Equal(3, partial.ExistingVersion);
        Assert.Null(await store.GetStreamVersionAsync("order-3", ct));

        var wrongPlace = await Assert.ThrowsAsync<DuplicateEventIdException>(async () => await store.AppendAsync("order-1", ExpectedVersion.Exact(2), [events[1], events[2]], ct));
        Assert.Equal(events[1].EventId, wrongPlace.EventId);
        Assert.Equal(3, await store.GetStreamVersionAsync("order-1", ct));
    }

    [Fact]
    public async Task Group_commit_isolates_a_failing_append()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await _stores.CreateStoreAsync(purpose: "group");
        await store.AppendAsync("existing", ExpectedVersion.NoStream, [TestEvents.Json()], ct);
        var tasks = new List<Task<AppendResult>>();
        for (var i = 0; i < 12; i++)
        {
            tasks.Add(i switch
            {
                5 => store.AppendAsync("existing", ExpectedVersion.NoStream, [TestEvents.Json()], ct).AsTask(),
                7 => store.AppendAsync("bad-json", ExpectedVersion.Any, [new EventData(Guid.NewGuid(), "t", "{not json"u8.ToArray())], ct).AsTask(),
                _ => store.AppendAsync($"s-{i}", ExpectedVersion.NoStream, TestEvents.Many(2), ct).AsTask(),
            });
        }

        await Task.WhenAll(tasks).ContinueWith(_ => { }, ct, TaskContinuationOptions.None, TaskScheduler.Default);
        var conflict = await Assert.ThrowsAsync<ConcurrencyException>(() => tasks[5]);
        Assert.Equal(1, conflict.ActualVersion);
        var invalid = await Assert.ThrowsAsync<ArgumentException>(() => tasks[7]);
        Assert.Contains("bad-json", invalid.Message, StringComparison.Ordinal);
        var ok = tasks.Where((_, i) => i is not 5 and not 7).Select(t => t.Result).ToList();
        Assert.All(ok, r => Assert.Equal(2, r.StreamVersion));
        // Some of them shared a transaction (same transaction id in the position's high bits).
        Assert.True(ok.GroupBy(r => r.LastPosition >> 20).Any(g => g.Count() > 1), "no two appends were committed together");
        Assert.Null(await store.GetStreamVersionAsync("bad-json", ct));
        await TestEvents.WaitUntilReadableAsync(store, ok.Max(r => r.LastPosition));
        var all = await store.ReadAllAsync(cancellationToken: ct).ToListAsync(ct);
        Assert.Equal(1 + (10 * 2), all.Count);
    }

    [Fact]
    public async Task An_append_larger_than_a_transaction_can_number_is_refused()
    {
        await using var store = await _stores.CreateStoreAsync(purpose: "huge");
        var data = "{}"u8.ToArray();
        var events = new GeneratedEvents((1 << 20), i => new EventData(new Guid(i, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), "t", data));
        var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await store.AppendAsync("huge", ExpectedVersion.Any, events, TestContext.Current.CancellationToken));
        Assert.Contains("1048575", ex.Message, StringComparison.Ordinal);
    }

    private sealed class GeneratedEvents(int count, Func<int, EventData> make) : IReadOnlyList<EventData>
    {
        public EventData this[int index] => make(index);

        public int Count => count;

        public IEnumerator<EventData> GetEnumerator()
        {
            for (var i = 0; i < count; i++)
            {
                yield return make(i);
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
