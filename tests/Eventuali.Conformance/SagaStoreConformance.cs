using Eventuali.Sagas;

namespace Eventuali.Conformance;

/// <summary>The saga storage contract (<see cref="ISagaStore"/>): versioned state, outbox and timeouts.</summary>
public abstract class SagaStoreConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static SagaWrite Write(long expected, string state = """{"n":1}""", string id = "i-1") => new("s", id, expected, state, 7, false, null);

    private static SagaTimeout Timeout(string key, DateTimeOffset due, string id = "i-1", string? data = null) => new("s", id, key, Guid.NewGuid(), due, data);

    [Fact]
    public async Task Save_then_load_round_trips_every_field_and_counts_versions_from_1()
    {
        await using var store = await NewStoreAsync();
        var sagas = store.GetSagaStore();
        Assert.Null(await sagas.LoadSagaAsync("s", "i-1", Ct));
        Assert.Equal(1, await sagas.SaveSagaAsync(Write(0) with { Outbox = """{"x":[1,2]}""" }, Ct));
        var r = await sagas.LoadSagaAsync("s", "i-1", Ct);
        Assert.NotNull(r);
        Assert.Equal(("s", "i-1", 1L, """{"n":1}""", 7L, false, """{"x":[1,2]}"""), (r.SagaName, r.SagaId, r.Version, r.State, r.LastPosition, r.Completed, r.Outbox));
        Assert.Equal(2, await sagas.SaveSagaAsync(Write(1, """{"n":2,"name":"Grüße ✓"}""") with { LastPosition = 9, Completed = true }, Ct));
        r = await sagas.LoadSagaAsync("s", "i-1", Ct);
        Assert.Equal((2L, """{"n":2,"name":"Grüße ✓"}""", 9L, true, (string?)null), (r!.Version, r.State, r.LastPosition, r.Completed, r.Outbox));
        Assert.Null(await sagas.LoadSagaAsync("s", "i-2", Ct));
        Assert.Null(await sagas.LoadSagaAsync("other", "i-1", Ct));
    }

    [Fact]
    public async Task A_stale_or_duplicate_save_is_refused_and_changes_nothing()
    {
        await using var store = await NewStoreAsync();
        var sagas = store.GetSagaStore();
        await sagas.SaveSagaAsync(Write(0), Ct);
        var twin = await Assert.ThrowsAsync<SagaConcurrencyException>(async () => await sagas.SaveSagaAsync(Write(0, """{"n":99}"""), Ct));
        Assert.Equal(("s", "i-1", 0L, (long?)1), (twin.SagaName, twin.SagaId, twin.ExpectedVersion, twin.ActualVersion));
        await sagas.SaveSagaAsync(Write(1, """{"n":2}"""), Ct);
        var stale = await Assert.ThrowsAsync<SagaConcurrencyException>(async () => await sagas.SaveSagaAsync(Write(1, """{"n":3}""") with { Schedule = [Timeout("t", T0)] }, Ct));
        Assert.Equal(2, stale.ActualVersion);
        var missing = await Assert.ThrowsAsync<SagaConcurrencyException>(async () => await sagas.SaveSagaAsync(Write(4, id: "nobody"), Ct));
        Assert.Null(missing.ActualVersion);

        var r = await sagas.LoadSagaAsync("s", "i-1", Ct);
        Assert.Equal((2L, """{"n":2}"""), (r!.Version, r.State));
        Assert.Null(await sagas.GetNextTimeoutDueAsync("s", Ct));
        Assert.Null(await sagas.LoadSagaAsync("s", "nobody", Ct));
    }

    [Fact]
    public async Task A_batch_save_stores_each_instance_with_its_own_values_and_refuses_a_stale_one()
    {
        await using var store = await NewStoreAsync();
        var sagas = store.GetSagaStore();
        await sagas.SaveSagasAsync([Write(0, id: "b"), Write(0, id: "d")], Ct);

        // Inserts and updates alternate, outboxes present and absent: no value may carry over from the previous row.
        var versions = await sagas.SaveSagasAsync(
            [
                Write(0, """{"n":"a"}""", "a") with { Outbox = """{"o":"a"}""", LastPosition = 11 },
                Write(1, """{"n":"b"}""", "b") with { LastPosition = 12, Completed = true },
                Write(0, """{"n":"c"}""", "c") with { LastPosition = 13 },
                Write(1, """{"n":"d"}""", "d") with { Outbox = """{"o":"d"}""", LastPosition = 14 },
            ],
            Ct);
        Assert.Equal([1L, 2L, 1L, 2L], versions);
        var loaded = await sagas.LoadSagasAsync("s", ["a", "b", "c", "d", "e"], Ct);
        Assert.Equal(4, loaded.Count);
        Assert.Equal((1L, """{"n":"a"}""", 11L, false, """{"o":"a"}"""), Row(loaded["a"]));
        Assert.Equal((2L, """{"n":"b"}""", 12L, true, (string?)null), Row(loaded["b"]));
        Assert.Equal((1L, """{"n":"c"}""", 13L, false, (string?)null), Row(loaded["c"]));
        Assert.Equal((2L, """{"n":"d"}""", 14L, false, """{"o":"d"}"""), Row(loaded["d"]));

        // A stale write first: refused, and the batch's other write is not applied after it.
        var stale = await Assert.ThrowsAsync<SagaConcurrencyException>(async () => await sagas.SaveSagasAsync([Write(1, """{"n":"late"}""", "d"), Write(1, """{"n":"c2"}""", "c")], Ct));
        Assert.Equal(("d", 1L, (long?)2), (stale.SagaId, stale.ExpectedVersion, stale.ActualVersion));
        loaded = await sagas.LoadSagasAsync("s", ["c", "d"], Ct);
        Assert.Equal((1L, """{"n":"c"}"""), (loaded["c"].Version, loaded["c"].State));
        Assert.Equal((2L, """{"n":"d"}"""), (loaded["d"].Version, loaded["d"].State));

        static (long, string, long, bool, string?) Row(SagaRecord r) => (r.Version, r.State, r.LastPosition, r.Completed, r.Outbox);
    }

    [Fact]
    public async Task Timeouts_are_scheduled_replaced_cancelled_and_listed_when_due_earliest_first()
    {
        await using var store = await NewStoreAsync();
        var sagas = store.GetSagaStore();
        var a = Timeout("a", T0.AddMinutes(10), data: """{"k":"v"}""");
        var b = Timeout("b", T0.AddMinutes(5));
        var c = Timeout("c", T0.AddMinutes(20).AddTicks(7)); // sub-microsecond part is dropped
        await sagas.SaveSagaAsync(Write(0) with { Schedule = [a, b, c] }, Ct);
        await sagas.SaveSagaAsync(Write(0, id: "i-2") with { Schedule = [Timeout("a", T0.AddMinutes(1), id: "i-2")] }, Ct);

        Assert.Equal(T0.AddMinutes(1), await sagas.GetNextTimeoutDueAsync("s", Ct));
        Assert.Null(await sagas.GetNextTimeoutDueAsync("other", Ct));
        var due = await sagas.LoadDueTimeoutsAsync("s", T0.AddMinutes(10), 10, Ct);
        Assert.Equal([("i-2", "a"), ("i-1", "b"), ("i-1", "a")], due.Select(t => (t.SagaId, t.Key)));
        Assert.Equal(a, due[2]);
        Assert.Single(await sagas.LoadDueTimeoutsAsync("s", T0.AddMinutes(10), 1, Ct));
        Assert.Empty(await sagas.LoadDueTimeoutsAsync("s", T0, 10, Ct));

        // Replace a (new due time and id), cancel b; c stays.
        var a2 = Timeout("a", T0.AddHours(1));
        await sagas.SaveSagaAsync(Write(1) with { Schedule = [a2], Cancel = ["b", "never-scheduled"] }, Ct);
        var all = await sagas.LoadDueTimeoutsAsync("s", T0.AddDays(1), 10, Ct);
        Assert.Equal([("i-2", "a", T0.AddMinutes(1)), ("i-1", "c", T0.AddMinutes(20).AddTicks(0)), ("i-1", "a", T0.AddHours(1))], all.Select(t => (t.SagaId, t.Key, t.DueAt)));
        Assert.Equal(a2.TimeoutId, all[2].TimeoutId);
        Assert.Null(all[2].Data);
    }

    [Fact]
    public async Task Completing_an_instance_removes_all_its_timeouts_only()
    {
        await using var store = await NewStoreAsync();
        var sagas = store.GetSagaStore();
        await sagas.SaveSagaAsync(Write(0) with { Schedule = [Timeout("a", T0), Timeout("b", T0)] }, Ct);
        await sagas.SaveSagaAsync(Write(0, id: "i-2") with { Schedule = [Timeout("a", T0, id: "i-2")] }, Ct);
        await sagas.SaveSagaAsync(Write(1) with { Completed = true, Schedule = [Timeout("z", T0)] }, Ct);
        var due = await sagas.LoadDueTimeoutsAsync("s", T0, 10, Ct);
        Assert.Equal(["i-2"], due.Select(t => t.SagaId));
    }

    [Fact]
    public async Task Bad_input_is_refused_with_an_error_naming_it_and_nothing_is_stored()
    {
        await using var store = await NewStoreAsync();
        var sagas = store.GetSagaStore();
        var notJson = await Assert.ThrowsAsync<ArgumentException>(async () => await sagas.SaveSagaAsync(Write(0, "{not json"), Ct));
        Assert.Contains("state of saga 's' instance 'i-1'", notJson.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(async () => await sagas.SaveSagaAsync(Write(0) with { SagaName = " " }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await sagas.SaveSagaAsync(Write(-1), Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await sagas.SaveSagaAsync(Write(0) with { Schedule = [Timeout("a", T0, id: "someone-else")] }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await sagas.SaveSagaAsync(Write(0) with { Schedule = [Timeout("a", T0), Timeout("a", T0)] }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await sagas.SaveSagaAsync(Write(0) with { Schedule = [Timeout("a", T0, data: "[")] }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await sagas.LoadSagaAsync("s", "bad\0id", Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await sagas.LoadDueTimeoutsAsync("s", T0, 0, Ct));
        Assert.Null(await sagas.LoadSagaAsync("s", "i-1", Ct));
        Assert.Null(await sagas.GetNextTimeoutDueAsync("s", Ct));
    }

    [Fact]
    public async Task State_and_timeouts_survive_reopening_the_store()
    {
        Assert.SkipUnless(Fixture.Persists, $"{Fixture.BackendName} does not persist.");
        var store = await NewStoreAsync();
        var sagas = store.GetSagaStore();
        await sagas.SaveSagaAsync(Write(0) with { Schedule = [Timeout("a", T0)] }, Ct);
        store = await Fixture.ReopenAsync(store, Ct);
        await using (store)
        {
            var r = await store.GetSagaStore().LoadSagaAsync("s", "i-1", Ct);
            Assert.Equal(1, r!.Version);
            Assert.Equal(T0, await store.GetSagaStore().GetNextTimeoutDueAsync("s", Ct));
        }
    }
}
