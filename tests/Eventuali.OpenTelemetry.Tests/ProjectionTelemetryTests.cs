using System.Diagnostics;
using Eventuali.Diagnostics;
using Eventuali.Projections;

namespace Eventuali.OpenTelemetry.Tests;

public sealed class ProjectionTelemetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_projection_batch_span_links_the_writers_trace_and_dead_letters_and_lag_are_measured()
    {
        await using var stores = new Stores();
        using var collected = new Collected();
        var store = await stores.OpenAsync("sqlite");
        var category = Stores.NewCategory();
        ActivityContext writer;
        using (Collected.Test.StartActivity("deposit"))
        {
            await store.AppendAsync($"{category}-1", ExpectedVersion.NoStream, [Stores.Event("Deposited"), Stores.Event("Refused")], Ct);
            writer = collected.Eventuali.Single(s => s.DisplayName == $"append {category}").Context;
        }

        var name = "balances" + category;
        await using var daemon = new ProjectionDaemon(store, [new Balances(name)], new ProjectionDaemonOptions { NodeId = "n", PollInterval = TimeSpan.FromMilliseconds(20) });
        await daemon.StartAsync(Ct);
        await daemon.WaitForCatchUpAsync(name, Ct);

        var batch = collected.Eventuali.First(s => s.DisplayName == $"project {name}");
        Assert.Equal(name, batch.GetTagItem("eventuali.projection.name"));
        var link = Assert.Single(batch.Links);
        Assert.Equal(writer.TraceId, link.Context.TraceId);
        Assert.Equal(writer.SpanId, link.Context.SpanId);

        var deadLetters = collected.Metric(EventualiInstruments.DeadLetters);
        Assert.Equal("{event}", deadLetters.Unit);
        var parked = Assert.Single(Points.Of(deadLetters), p => Equals(p.Tags["eventuali.projection.name"], name));
        Assert.Equal(1, parked.LongValue);

        Assert.Contains(Points.Of(collected.Metric(EventualiInstruments.ProjectionLag)), p => Equals(p.Tags["eventuali.projection.name"], name));
        Assert.Equal("s", collected.Metric(EventualiInstruments.ProjectionLagTime).Unit);
        await daemon.StopAsync(Ct);
    }

    private sealed class Balances : Projection
    {
        public Balances(string name)
            : base(name)
        {
            FailurePolicy = new ProjectionFailurePolicy { MaxAttempts = 1 };
            On("Deposited", (_, _, _) => ValueTask.CompletedTask);
            On("Refused", (_, _, _) => throw new InvalidOperationException("refused"));
        }
    }
}
