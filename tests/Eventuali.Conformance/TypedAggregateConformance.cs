using System.Text;
using Eventuali.Typed;

namespace Eventuali.Conformance;

/// <summary>The typed layer (aggregates, serialization, upcasting) over the backend.</summary>
public abstract class TypedAggregateConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    private static EventStoreOptions Options() => new()
    {
        Types = new EventTypeRegistry()
            .Register<AccountOpened>()
            .Register<MoneyDeposited>()
            .Register<MoneyWithdrawn>()
            .Register<NoteAdded>()
            .Register<DepositV1>("conformance.deposit.v1")
            .Register<DepositV2>("conformance.deposit.v2")
            .Register<DepositV3>("conformance.deposit.v3")
            .AddUpcaster<DepositV1, DepositV2>(v1 => new DepositV2(v1.Cents / 100m))
            .AddUpcaster<DepositV2, DepositV3>(v2 => new DepositV3(v2.Amount, "EUR")),
    };

    private static readonly string StreamOf1 = AggregateStreams.StreamId<ConformanceAccount>("1");

    [Fact]
    public async Task Save_and_load_round_trip_an_aggregate_with_several_event_types()
    {
        await using var store = await NewStoreAsync(Options());
        var account = ConformanceAccount.Open("1", "alice");
        account.Deposit(100m);
        account.Withdraw(30.5m);
        account.Note("ignored by state");
        var r = await store.SaveAsync(account, cancellationToken: Ct);
        Assert.Equal(4, r.StreamVersion);
        Assert.Equal(4, account.Version);
        Assert.Empty(account.UncommittedEvents);

        var stored = await store.ReadStreamListAsync("conformance-account-1");
        Assert.Equal(["conformance.account-opened", "conformance.money-deposited", "conformance.money-withdrawn", "conformance.note-added"], stored.Select(e => e.EventType));
        Assert.All(stored, e => Assert.Equal(ContentTypes.Json, e.ContentType));
        TestData.AssertJsonEqual("""{"amount":100}"""u8.ToArray(), stored[1].Data);

        var loaded = await store.LoadAsync<ConformanceAccount>("1", Ct);
        Assert.NotNull(loaded);
        Assert.Equal(("1", "alice", 69.5m, 4L), (loaded.Id, loaded.Owner, loaded.Balance, loaded.Version));
        Assert.Empty(loaded.UncommittedEvents);

        loaded.Deposit(0.5m);
        Assert.Equal(5, (await store.SaveAsync(loaded, cancellationToken: Ct)).StreamVersion);
        Assert.Equal(70m, (await store.LoadAsync<ConformanceAccount>("1", Ct))!.Balance);
    }

    [Fact]
    public async Task Saving_a_new_aggregate_over_an_existing_stream_is_refused()
    {
        await using var store = await NewStoreAsync(Options());
        await store.SaveAsync(ConformanceAccount.Open("1", "alice"), cancellationToken: Ct);
        var twin = ConformanceAccount.Open("1", "mallory");
        var ex = await Assert.ThrowsAsync<ConcurrencyException>(async () => await store.SaveAsync(twin, cancellationToken: Ct));
        Assert.Equal(StreamOf1, ex.StreamId);
        Assert.Equal("alice", (await store.LoadAsync<ConformanceAccount>("1", Ct))!.Owner);
    }

    [Fact]
    public async Task Unknown_id_loads_as_null_and_LoadOrCreate_gives_a_new_aggregate()
    {
        await using var store = await NewStoreAsync(Options());
        Assert.Null(await store.LoadAsync<ConformanceAccount>("nobody", Ct));
        var fresh = await store.LoadOrCreateAsync<ConformanceAccount>("nobody", Ct);
        Assert.Equal(("nobody", 0L, 0m), (fresh.Id, fresh.Version, fresh.Balance));
        fresh.Deposit(5m);
        Assert.Equal(1, (await store.SaveAsync(fresh, cancellationToken: Ct)).StreamVersion);
        Assert.Equal(5m, (await store.LoadAsync<ConformanceAccount>("nobody", Ct))!.Balance);
    }

    [Fact]
    public async Task Two_copies_modified_concurrently_the_second_save_is_refused_and_keeps_its_events()
    {
        await using var store = await NewStoreAsync(Options());
        var original = ConformanceAccount.Open("1", "alice");
        original.Deposit(100m);
        await store.SaveAsync(original, cancellationToken: Ct);

        var a = (await store.LoadAsync<ConformanceAccount>("1", Ct))!;
        var b = (await store.LoadAsync<ConformanceAccount>("1", Ct))!;
        a.Withdraw(80m);
        b.Withdraw(50m);
        await store.SaveAsync(a, cancellationToken: Ct);
        var ex = await Assert.ThrowsAsync<ConcurrencyException>(async () => await store.SaveAsync(b, cancellationToken: Ct));
        Assert.Equal(StreamOf1, ex.StreamId);
        Assert.Equal(ExpectedVersion.Exact(2), ex.ExpectedVersion);
        Assert.Equal(3, ex.ActualVersion);
        Assert.Single(b.UncommittedEvents);
        Assert.Equal(2, b.Version);

        var reloaded = (await store.LoadAsync<ConformanceAccount>("1", Ct))!;
        Assert.Equal((20m, 3L), (reloaded.Balance, reloaded.Version));
        Assert.Throws<InvalidOperationException>(() => reloaded.Withdraw(50m));
    }

    [Fact]
    public async Task Retried_save_after_a_lost_reply_is_idempotent()
    {
        await using var inner = await NewStoreAsync(Options());
        var store = new LostReplyStore(inner);
        var account = ConformanceAccount.Open("1", "alice");
        account.Deposit(10m);
        account.Deposit(20m);

        await Assert.ThrowsAsync<EventStoreUnavailableException>(async () => await store.SaveAsync(account, cancellationToken: Ct));
        Assert.Equal(3, account.UncommittedEvents.Count);
        Assert.Equal(0, account.Version);

        var retried = await store.SaveAsync(account, cancellationToken: Ct);
        Assert.Equal(store.LostResult, retried);
        Assert.Equal(3, account.Version);
        Assert.Empty(account.UncommittedEvents);
        Assert.Equal(3, (await inner.ReadAllListAsync()).Count);
        Assert.Equal(30m, (await inner.LoadAsync<ConformanceAccount>("1", Ct))!.Balance);
    }

    [Fact]
    public async Task Save_metadata_lands_on_every_event()
    {
        await using var store = await NewStoreAsync(Options());
        var account = ConformanceAccount.Open("1", "alice");
        account.Deposit(1m);
        var metadata = new EventMetadata("corr", "cause", "alice", new Dictionary<string, string> { ["ip"] = "10.0.0.1" });
        await store.SaveAsync(account, metadata, Ct);
        Assert.All(await store.ReadStreamListAsync(StreamOf1), e => Assert.True(metadata.ContentEquals(e.Metadata)));
    }

    [Fact]
    public async Task Saving_with_nothing_pending_writes_nothing()
    {
        await using var store = await NewStoreAsync(Options());
        var account = ConformanceAccount.Open("1", "alice");
        await store.SaveAsync(account, cancellationToken: Ct);
        var head = await store.GetHeadPositionAsync(Ct);
        var r = await store.SaveAsync(account, cancellationToken: Ct);
        Assert.Equal(1, r.StreamVersion);
        Assert.Equal(head, await store.GetHeadPositionAsync(Ct));
    }

    [Fact]
    public async Task Stored_old_event_shapes_are_read_through_the_upcaster_chain_and_stay_unchanged()
    {
        await using var store = await NewStoreAsync(Options());
        byte[] v1 = """{"cents":1250}"""u8.ToArray();
        byte[] v2 = """{"amount":3.5}"""u8.ToArray();
        await store.SaveAsync(ConformanceAccount.Open("1", "alice"), cancellationToken: Ct);
        await store.AppendEventsAsync(StreamOf1, ExpectedVersion.Exact(1), new EventData(Guid.NewGuid(), "conformance.deposit.v1", v1), new EventData(Guid.NewGuid(), "conformance.deposit.v2", v2));
        var account = (await store.LoadAsync<ConformanceAccount>("1", Ct))!;
        account.DepositV3(1m, "USD");
        await store.SaveAsync(account, cancellationToken: Ct);

        var loaded = (await store.LoadAsync<ConformanceAccount>("1", Ct))!;
        Assert.Equal(12.5m + 3.5m + 1m, loaded.Balance);
        Assert.Equal(["EUR", "EUR", "USD"], loaded.Currencies);
        Assert.Equal(4, loaded.Version);

        var stored = await store.ReadStreamListAsync(StreamOf1);
        Assert.Equal(["conformance.account-opened", "conformance.deposit.v1", "conformance.deposit.v2", "conformance.deposit.v3"], stored.Select(e => e.EventType));
        TestData.AssertJsonEqual(v1, stored[1].Data);
        TestData.AssertJsonEqual(v2, stored[2].Data);
    }

    [Fact]
    public async Task Invalid_json_under_a_registered_type_is_refused_at_append_or_fails_the_load()
    {
        // A backend storing JSON as JSON may refuse it up front; one that keeps it must report it on load.
        await using var store = await NewStoreAsync(Options());
        var account = ConformanceAccount.Open("1", "alice");
        account.Deposit(1m);
        await store.SaveAsync(account, cancellationToken: Ct);
        var bad = new EventData(Guid.NewGuid(), "conformance.money-deposited", "{\"amount\": \"not a number\""u8.ToArray());
        long position;
        try
        {
            position = (await store.AppendEventsAsync(StreamOf1, ExpectedVersion.Exact(2), bad)).LastPosition;
        }
        catch (ArgumentException)
        {
            Assert.Equal(2, await store.GetStreamVersionAsync(StreamOf1, Ct));
            Assert.Equal(1m, (await store.LoadAsync<ConformanceAccount>("1", Ct))!.Balance);
            return;
        }

        var ex = await Assert.ThrowsAsync<EventDeserializationException>(async () => await store.LoadAsync<ConformanceAccount>("1", Ct));
        Assert.Equal((StreamOf1, 3L, position), (ex.StreamId, ex.StreamVersion, ex.Position));
    }

    public static TheoryData<string, string, string> CorruptPayloads => new()
    {
        { "conformance.money-deposited", ContentTypes.Json, """{"amount": "not a number"}""" },
        { "conformance.money-deposited", ContentTypes.Binary, "{\"amount\": \"not a number\"" },
        { "conformance.money-deposited", ContentTypes.Json, "null" },
        { "conformance.unknown-type", ContentTypes.Json, """{"amount": 1}""" },
    };

    [Theory]
    [MemberData(nameof(CorruptPayloads))]
    public async Task Unreadable_event_fails_the_load_naming_stream_version_position_and_type(string type, string contentType, string payload)
    {
        await using var store = await NewStoreAsync(Options());
        var healthy = ConformanceAccount.Open("2", "bob");
        healthy.Deposit(7m);
        await store.SaveAsync(healthy, cancellationToken: Ct);
        var account = ConformanceAccount.Open("1", "alice");
        account.Deposit(1m);
        await store.SaveAsync(account, cancellationToken: Ct);
        var bad = new EventData(Guid.NewGuid(), type, Encoding.UTF8.GetBytes(payload), null, contentType);
        var r = await store.AppendEventsAsync(StreamOf1, ExpectedVersion.Exact(2), bad);

        var ex = await Assert.ThrowsAsync<EventDeserializationException>(async () => await store.LoadAsync<ConformanceAccount>("1", Ct));
        Assert.Equal((StreamOf1, 3L, r.LastPosition, type), (ex.StreamId, ex.StreamVersion, ex.Position, ex.EventType));
        Assert.Contains(StreamOf1, ex.Message, StringComparison.Ordinal);
        Assert.Contains(type, ex.Message, StringComparison.Ordinal);

        // The store is unaffected: the raw events read, and other aggregates load.
        Assert.Equal(3, (await store.ReadStreamListAsync(StreamOf1)).Count);
        Assert.Equal(7m, (await store.LoadAsync<ConformanceAccount>("2", Ct))!.Balance);
        await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendEventsAsync(StreamOf1, ExpectedVersion.Exact(2), TestData.Json()));
    }
}
