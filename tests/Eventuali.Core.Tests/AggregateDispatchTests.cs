using Eventuali.Typed;

namespace Eventuali.Core.Tests;

public sealed record PublicEvent(int N);

public sealed record PrivateEvent(int N);

public sealed record ProtectedEvent(int N);

public sealed record InternalEvent(int N);

public sealed record BaseEvent(int N);

public sealed record OverriddenEvent(int N);

public sealed record UnhandledEvent(int N);

public sealed record ThrowingEvent;

public abstract class DispatchBase : Aggregate
{
    public List<string> Log { get; } = [];

    public void Emit(object e) => Raise(e);

    private void Apply(BaseEvent e) => Log.Add($"base:{e.N}");

    protected virtual void Apply(OverriddenEvent e) => Log.Add($"base-overridden:{e.N}");
}

public sealed class DispatchAggregate : DispatchBase
{
    public void Apply(PublicEvent e) => Log.Add($"public:{e.N}");

    internal void Apply(InternalEvent e) => Log.Add($"internal:{e.N}");

    protected override void Apply(OverriddenEvent e) => Log.Add($"derived-overridden:{e.N}");

    private void Apply(PrivateEvent e) => Log.Add($"private:{e.N}");

#pragma warning disable CA1822, IDE0051, IDE0060 // Not handlers by convention: static, non-void, generic and two-argument methods must be ignored.
    private static void Apply(UnhandledEvent e) => throw new InvalidOperationException("static Apply must not be called");

    private int Apply(ProtectedEvent e) => throw new InvalidOperationException("non-void Apply must not be called");

    private void Apply<T>(T e) => throw new InvalidOperationException("generic Apply must not be called");

    private void Apply(ThrowingEvent e, int extra) => throw new InvalidOperationException("two-argument Apply must not be called");
#pragma warning restore CA1822, IDE0051, IDE0060

    private void Apply(ThrowingEvent e) => throw new InvalidOperationException("refused");
}

public class ProtectedHandler : Aggregate
{
    public int Sum { get; private set; }

    public void Emit(object e) => Raise(e);

    protected void Apply(ProtectedEvent e) => Sum += e.N;
}

public sealed class AggregateDispatchTests
{
    [Fact]
    public void Apply_methods_of_any_visibility_are_dispatched()
    {
        var a = new DispatchAggregate();
        a.Emit(new PublicEvent(1));
        a.Emit(new PrivateEvent(2));
        a.Emit(new InternalEvent(3));
        Assert.Equal(["public:1", "private:2", "internal:3"], a.Log);
        var p = new ProtectedHandler();
        p.Emit(new ProtectedEvent(5));
        p.Emit(new ProtectedEvent(6));
        Assert.Equal(11, p.Sum);
    }

    [Fact]
    public void Inherited_apply_methods_are_dispatched_and_an_override_runs_once()
    {
        var a = new DispatchAggregate();
        a.Emit(new BaseEvent(1));
        a.Emit(new OverriddenEvent(2));
        Assert.Equal(["base:1", "derived-overridden:2"], a.Log);
    }

    [Fact]
    public void Events_without_an_apply_method_are_kept_but_change_nothing()
    {
        var a = new DispatchAggregate();
        a.Emit(new UnhandledEvent(1));
        a.Emit(new ProtectedEvent(2));
        a.Emit("a string event");
        Assert.Empty(a.Log);
        Assert.Equal(3, a.UncommittedEvents.Count);
    }

    [Fact]
    public void An_apply_that_throws_queues_nothing()
    {
        var a = new DispatchAggregate();
        a.Emit(new PublicEvent(1));
        Assert.Equal("refused", Assert.Throws<InvalidOperationException>(() => a.Emit(new ThrowingEvent())).Message);
        Assert.Equal([new PublicEvent(1)], a.UncommittedEvents);
    }

    [Fact]
    public void Raising_null_is_refused()
    {
        Assert.Throws<ArgumentNullException>(() => new DispatchAggregate().Emit(null!));
    }

    [Fact]
    public void Dispatch_allocates_nothing_per_event_once_compiled()
    {
        // Reflection or compiling per event would allocate (MethodInfo arrays, expression trees); a cached delegate does not.
        var aggregate = new DispatchAggregate();
        var e = new InternalEvent(1);
        var handler = new ProtectedHandler();
        var pe = new ProtectedEvent(1);
        AggregateApplier.Apply(handler, pe);
        AggregateApplier.Apply(aggregate, new UnhandledEvent(0));
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            AggregateApplier.Apply(handler, pe);
            AggregateApplier.Apply(aggregate, pe);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(10_000, handler.Sum - 1);
        // Any per-event allocation is at least 24 bytes, so 20,000 dispatches would pass 480 KB; the runtime's own
        // one-off work on this thread (tiering, on-stack replacement of the loop) stays far below 16 KB.
        Assert.True(allocated < 16 * 1024, $"20,000 dispatches allocated {allocated} bytes");
        AggregateApplier.Apply(aggregate, e);
        Assert.Equal(["internal:1"], aggregate.Log);
    }

    [Fact]
    public void Ids_are_fixed_when_an_event_is_raised()
    {
        var a = new DispatchAggregate();
        a.Emit(new PublicEvent(1));
        a.Emit(new PublicEvent(2));
        var ids = a.Pending.Select(p => p.EventId).ToArray();
        Assert.Equal(ids, a.Pending.Select(p => p.EventId));
        Assert.Equal(2, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(7, id.Version));
    }

    [Fact]
    public async Task Saving_an_aggregate_without_an_id_is_refused()
    {
        await using var store = new Eventuali.InMemory.InMemoryEventStore();
        var a = new DispatchAggregate();
        a.Emit(new PublicEvent(1));
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.SaveAsync(a, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains(nameof(DispatchAggregate), ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, await store.GetHeadPositionAsync(TestContext.Current.CancellationToken));
    }
}
