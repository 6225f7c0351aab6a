using System.Diagnostics;
using Eventuali.Diagnostics;
using Eventuali.Extensibility;
using Eventuali.Subscriptions;

namespace Eventuali.OpenTelemetry.Tests;

public sealed class TraceContextTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task An_append_inside_a_trace_stores_the_append_spans_traceparent_in_every_event(string kind)
    {
        await using var stores = new Stores();
        using var collected = new Collected();
        var store = await stores.OpenAsync(kind);
        var stream = $"{Stores.NewCategory()}-1";
        ActivityTraceId traceId;
        using (var request = Collected.Test.StartActivity("request"))
        {
            request!.TraceStateString = "vendor=value";
            traceId = request.TraceId;
            var withHeader = EventData.Json("Happened", "{}", new EventMetadata(Headers: new Dictionary<string, string> { ["kept"] = "yes" }));
            await store.AppendAsync(stream, ExpectedVersion.NoStream, [Stores.Event(), withHeader], Ct);
        }

        var append = Assert.Single(collected.Eventuali, s => s.GetTagItem("db.operation.name") as string == "append");
        Assert.Equal(traceId, append.TraceId);
        var events = await store.ReadStreamAsync(stream, cancellationToken: Ct).ToListAsync(Ct);
        Assert.All(events, e =>
        {
            Assert.Equal(append.Id, e.Metadata.Headers![EventualiDiagnostics.TraceParentHeader]);
            Assert.Equal("vendor=value", e.Metadata.Headers[EventualiDiagnostics.TraceStateHeader]);
        });
        Assert.Equal("yes", events[1].Metadata.Headers!["kept"]);
    }

    [Fact]
    public async Task Without_a_trace_or_a_listener_nothing_is_added_to_events_and_no_span_is_made()
    {
        await using var stores = new Stores();
        var store = await stores.OpenAsync("sqlite");
        var stream = $"{Stores.NewCategory()}-1";
        Assert.Null(Activity.Current);
        Assert.False(StoreTelemetry.IsAppendObserved);
        Assert.False(StoreTelemetry.IsReadObserved);

        await store.AppendAsync(stream, ExpectedVersion.NoStream, [Stores.Event()], Ct);

        var e = Assert.Single(await store.ReadStreamAsync(stream, cancellationToken: Ct).ToListAsync(Ct));
        Assert.True(e.Metadata.Headers is null || !e.Metadata.Headers.ContainsKey(EventualiDiagnostics.TraceParentHeader));
    }

    [Fact]
    public async Task An_append_outside_any_trace_gets_its_span_but_stores_no_trace_context()
    {
        await using var stores = new Stores();
        using var collected = new Collected();
        var store = await stores.OpenAsync("sqlite");
        var stream = $"{Stores.NewCategory()}-1";

        await store.AppendAsync(stream, ExpectedVersion.NoStream, [Stores.Event()], Ct);

        Assert.Single(collected.Eventuali, s => s.GetTagItem("db.operation.name") as string == "append");
        var e = Assert.Single(await store.ReadStreamAsync(stream, cancellationToken: Ct).ToListAsync(Ct));
        Assert.Null(e.Metadata.Headers);
    }

    [Fact]
    public async Task An_ambient_trace_is_carried_even_when_nobody_listens_to_Eventuali()
    {
        await using var stores = new Stores();
        var store = await stores.OpenAsync("memory");
        var stream = $"{Stores.NewCategory()}-1";
        using var outer = new Activity("caller").SetIdFormat(ActivityIdFormat.W3C).Start();

        await store.AppendAsync(stream, ExpectedVersion.NoStream, [Stores.Event()], Ct);

        var e = Assert.Single(await store.ReadStreamAsync(stream, cancellationToken: Ct).ToListAsync(Ct));
        Assert.Equal(outer.Id, e.Metadata.Headers![EventualiDiagnostics.TraceParentHeader]);
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_subscribers_delivery_span_is_linked_to_the_writers_trace(string kind)
    {
        await using var stores = new Stores();
        using var collected = new Collected();
        var store = await stores.OpenAsync(kind);
        var category = Stores.NewCategory();
        ActivityContext writer;
        using (var request = Collected.Test.StartActivity("place order"))
        {
            await store.AppendAsync($"{category}-1", ExpectedVersion.NoStream, [Stores.Event("OrderPlaced")], Ct);
            writer = collected.Eventuali.Single(s => s.DisplayName == $"append {category}").Context;
        }

        // Started by a request: its deliveries still begin traces of their own, linked to the writers.
        var handled = new TaskCompletionSource<ActivityContext?>(TaskCreationOptions.RunContinuationsAsynchronously);
        CatchUpSubscription subscription;
        using (Collected.Test.StartActivity("start shipping"))
        {
            subscription = store.StartSubscription(
                new SubscriptionOptions { Name = "shipping" + category, Filter = EventFilter.ForCategory(category + "-") },
                (e, _) =>
                {
                    handled.TrySetResult(Activity.Current?.Context);
                    return ValueTask.CompletedTask;
                },
                Ct);
        }

        await using var stopping = subscription;
        var inHandler = await handled.Task.WaitAsync(Deadline, Ct);
        await subscription.StopAsync();

        var delivery = Assert.Single(collected.Eventuali, s => s.DisplayName == $"deliver shipping{category}");
        Assert.Equal(delivery.Context, inHandler);
        Assert.Equal(ActivityKind.Consumer, delivery.Kind);
        Assert.Equal("shipping" + category, delivery.GetTagItem("eventuali.subscription.name"));
        var link = Assert.Single(delivery.Links);
        Assert.Equal(writer.TraceId, link.Context.TraceId);
        Assert.Equal(writer.SpanId, link.Context.SpanId);
        Assert.NotEqual(writer.TraceId, delivery.TraceId);
        Assert.Equal(default, delivery.ParentSpanId);
    }
}
