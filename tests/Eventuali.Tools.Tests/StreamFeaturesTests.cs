using Eventuali.Tools.Analytics;
using Eventuali.Tools.Debugging;
using static Eventuali.Tools.Tests.TestEvents;

namespace Eventuali.Tools.Tests;

public sealed class StreamFeaturesTests
{
    [Fact]
    public void Features_accumulate_counts_recency_and_amounts_and_ignore_a_replayed_event()
    {
        var f = StreamFeatures.Start(Recorded("account-1", 1, "Opened", "{\"owner\":\"a\"}", T0), "amount");
        f = f.Apply(Recorded("account-1", 2, "Deposited", "{\"note\":\"x\",\"amount\":100.5}", T0.AddMinutes(1)), "amount");
        f = f.Apply(Recorded("account-1", 3, "Deposited", "{\"amount\":-20}", T0.AddMinutes(2)), "amount");
        var again = f.Apply(Recorded("account-1", 3, "Deposited", "{\"amount\":-20}", T0.AddMinutes(2)), "amount");

        Assert.Same(f, again);
        Assert.Equal(3, f.Events);
        Assert.Equal((T0, T0.AddMinutes(2)), (f.FirstAt, f.LastAt));
        Assert.Equal(["Deposited", "Opened"], f.EventTypes);
        Assert.Equal((2L, 80.5, -20d, 100.5), (f.Amounts, f.AmountSum, f.AmountMin!.Value, f.AmountMax!.Value));
        Assert.Equal(60, f.RecencySeconds(T0.AddMinutes(3)));
        Assert.Equal(f, StreamFeatures.FromJson(f.ToJson()) with { EventTypes = f.EventTypes });
        Assert.Equal("account-1,3,2026-01-01T12:00:00.0000000Z,2026-01-01T12:02:00.0000000Z,60,2,2,80.5,-20,100.5,40.25", f.ToCsv(T0.AddMinutes(3)));
        Assert.Equal(11, StreamFeatures.CsvHeader.Split(',').Length);
    }

    [Fact]
    public async Task The_projection_keeps_one_features_document_per_stream()
    {
        var projection = new StreamFeaturesProjection("features", ["Opened", "Deposited"]);
        var stepper = new ProjectionStepper(projection);
        await stepper.ApplyAsync(Recorded("account-1", 1, "Opened", "{}", T0), TestContext.Current.CancellationToken);
        await stepper.ApplyAsync(Recorded("account-2", 1, "Opened", "{}", T0), TestContext.Current.CancellationToken);
        var last = await stepper.ApplyAsync(Recorded("account-1", 2, "Deposited", "{\"amount\":7}", T0.AddSeconds(5)), TestContext.Current.CancellationToken);

        using var doc = System.Text.Json.JsonDocument.Parse(last.State);
        var one = StreamFeatures.FromJson(doc.RootElement.GetProperty("account-1").GetRawText());
        Assert.Equal((2L, 7d), (one.Events, one.AmountSum));
        Assert.Equal(1, StreamFeatures.FromJson(doc.RootElement.GetProperty("account-2").GetRawText()).Events);
    }
}
