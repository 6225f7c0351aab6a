using Eventuali.Projections;
using Eventuali.Tools.Debugging;
using Eventuali.Typed;

namespace Eventuali.Tools.Tests;

[EventType("counter-started")]
public sealed record CounterStarted(string Id, string Label);

[EventType("counter-added")]
public sealed record CounterAdded(int By);

[EventType("counter-noted")]
public sealed record CounterNoted(string Note);

[EventType("counter-broken")]
public sealed record CounterBroken;

[StreamCategory("counter")]
public sealed class Counter : Aggregate
{
    public string Label { get; private set; } = string.Empty;

    public int Total { get; private set; }

    public void Start(string id, string label) => Raise(new CounterStarted(id, label));

    public void Add(int by) => Raise(new CounterAdded(by));

    public void Note(string note) => Raise(new CounterNoted(note));

    public void Break() => Raise(new CounterBroken());

    private void Apply(CounterStarted e) => (Id, Label) = (e.Id, e.Label);

    private void Apply(CounterAdded e) => Total += e.By;

    private void Apply(CounterBroken e)
    {
        if (Total > 0)
        {
            throw new InvalidOperationException("cannot break a used counter");
        }
    }
}

public sealed class DebuggerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<InMemoryEventStore> StoreAsync()
    {
        var store = new InMemoryEventStore();
        var counter = new Counter();
        counter.Start("c1", "visits");
        counter.Add(2);
        counter.Note("hello");
        counter.Add(3);
        await store.SaveAsync(counter, cancellationToken: Ct);
        return store;
    }

    [Fact]
    public async Task An_aggregate_is_stepped_with_state_diff_and_handler_per_event()
    {
        await using var store = await StoreAsync();
        var steps = await StreamDebugger.StepAsync(store, "counter-c1", new AggregateStepper(typeof(Counter), store.Options.Types), cancellationToken: Ct).ToListAsync(Ct);

        Assert.Equal(4, steps.Count);
        Assert.Equal(["Counter.Apply(CounterStarted)", "Counter.Apply(CounterAdded)", "(no Counter.Apply(CounterNoted): state unchanged)", "Counter.Apply(CounterAdded)"], steps.Select(s => s.Handler));
        Assert.Equal("{\"label\":\"visits\",\"total\":5,\"id\":\"c1\",\"version\":4}", steps[3].State);
        var added = steps[1].Changes;
        Assert.Contains(new JsonChange("$.total", JsonChangeKind.Changed, "0", "2"), added);
        Assert.Contains(new JsonChange("$.version", JsonChangeKind.Changed, "1", "2"), added);
        Assert.Equal([new JsonChange("$.version", JsonChangeKind.Changed, "2", "3")], steps[2].Changes);
    }

    [Fact]
    public async Task Stepping_stops_at_the_requested_version()
    {
        await using var store = await StoreAsync();
        var steps = await StreamDebugger.StepAsync(store, "counter-c1", new AggregateStepper(typeof(Counter), store.Options.Types), toVersion: 2, cancellationToken: Ct).ToListAsync(Ct);

        Assert.Equal([1L, 2L], steps.Select(s => s.Event.StreamVersion));
        Assert.Contains("\"total\":2", steps[^1].State, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Raw_payloads_are_merged_and_diffed_without_any_application_type()
    {
        await using var store = await StoreAsync();
        var steps = await StreamDebugger.StepAsync(store, "counter-c1", new PayloadStepper(), cancellationToken: Ct).ToListAsync(Ct);

        Assert.Equal("{\"id\":\"c1\",\"label\":\"visits\",\"by\":3,\"note\":\"hello\"}", steps[3].State);
        Assert.Equal([new JsonChange("$.by", JsonChangeKind.Changed, "2", "3")], steps[3].Changes);
        Assert.Equal("payload merge (counter-noted)", steps[2].Handler);
    }

    private sealed class Totals : Projection
    {
        public Totals()
            : base("totals")
        {
            On("counter-added", async (e, ctx, ct) =>
            {
                var current = await ctx.Documents.GetAsync(e.StreamId, ct);
                var total = (current is null ? 0 : int.Parse(current, System.Globalization.CultureInfo.InvariantCulture)) + System.Text.Json.JsonDocument.Parse(e.Data).RootElement.GetProperty("by").GetInt32();
                await ctx.Documents.PutAsync(e.StreamId, total.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
            });
        }
    }

    [Fact]
    public async Task A_projection_is_stepped_against_a_private_read_model()
    {
        await using var store = await StoreAsync();
        var steps = await StreamDebugger.StepAsync(store, "counter-c1", new ProjectionStepper(new Totals()), cancellationToken: Ct).ToListAsync(Ct);

        Assert.Equal("(projection totals does not handle counter-started)", steps[0].Handler);
        Assert.Equal("totals.On(counter-added)", steps[1].Handler);
        Assert.Equal([new JsonChange("$['counter-c1']", JsonChangeKind.Added, null, "2")], steps[1].Changes);
        Assert.Equal("{\"counter-c1\":5}", steps[3].State);
    }

    [Fact]
    public async Task A_throwing_handler_is_reported_with_its_name_and_version()
    {
        await using var store = await StoreAsync();
        var broken = new Counter();
        broken.Start("c2", "x");
        await store.SaveAsync(broken, cancellationToken: Ct);
        await store.AppendAsync("counter-c2", ExpectedVersion.Exact(1), [store.Options.Types.ToEventData(new CounterAdded(1)), store.Options.Types.ToEventData(new CounterBroken())], Ct);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await StreamDebugger.StepAsync(store, "counter-c2", new AggregateStepper(typeof(Counter), store.Options.Types), cancellationToken: Ct).ToListAsync(Ct));
        Assert.Equal("Counter.Apply(CounterBroken) threw at counter-c2 version 3: cannot break a used counter", error.Message);
    }

    [Fact]
    public void A_type_that_is_not_an_aggregate_is_refused_naming_it()
    {
        var error = Assert.Throws<ArgumentException>(() => new AggregateStepper(typeof(string), new EventTypeRegistry()));
        Assert.Contains("System.String is not an aggregate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Diffs_report_added_removed_and_changed_paths_through_arrays()
    {
        var changes = JsonDiff.Compare("{\"a\":1,\"list\":[1,2],\"gone\":true,\"same\":{\"x\":1}}", "{\"a\":2,\"list\":[1,3,4],\"new\":null,\"same\":{\"x\":1}}");

        Assert.Equal(
            [
                new JsonChange("$.a", JsonChangeKind.Changed, "1", "2"),
                new JsonChange("$.list[1]", JsonChangeKind.Changed, "2", "3"),
                new JsonChange("$.list[2]", JsonChangeKind.Added, null, "4"),
                new JsonChange("$.gone", JsonChangeKind.Removed, "true", null),
                new JsonChange("$.new", JsonChangeKind.Added, null, "null"),
            ],
            changes);
    }
}
