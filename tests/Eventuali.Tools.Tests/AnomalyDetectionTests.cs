using Eventuali.Tools.Analytics;
using static Eventuali.Tools.Tests.TestEvents;

namespace Eventuali.Tools.Tests;

public sealed class AnomalyDetectionTests
{
    [Fact]
    public void Ewma_follows_the_documented_recurrences()
    {
        var detector = new EwmaDetector(alpha: 0.5, threshold: 3, warmup: 2);
        detector.Observe(10); // mean 10, var 0
        detector.Observe(20); // d = 10: mean 15, var 0.5 * (0 + 0.5 * 100) = 25
        Assert.Equal(15, detector.Mean, 9);
        Assert.Equal(5, detector.StandardDeviation, 9);

        var score = detector.Observe(40); // z = (40 - 15) / 5 = 5 > 3
        Assert.Equal(5, score.ZScore, 9);
        Assert.True(score.IsAnomaly);
        Assert.Equal((15d, 5d), (score.Expected, score.StandardDeviation));
    }

    [Fact]
    public void Nothing_is_flagged_while_warming_up_or_on_a_steady_series()
    {
        var detector = new EwmaDetector(alpha: 0.2, threshold: 3, warmup: 5);
        Assert.False(detector.Observe(1).IsAnomaly);
        Assert.False(detector.Observe(1000).IsAnomaly); // still warming up
        var steady = new EwmaDetector(alpha: 0.2, threshold: 3, warmup: 5);
        var values = Enumerable.Range(0, 200).Select(i => 100 + (i % 5) - 2.0);
        Assert.DoesNotContain(values.Select(steady.Observe), s => s.IsAnomaly);
    }

    [Theory]
    [InlineData(0, 3, 10)]
    [InlineData(1.5, 3, 10)]
    [InlineData(0.1, 0, 10)]
    [InlineData(0.1, 3, 1)]
    public void Bad_parameters_are_refused(double alpha, double threshold, int warmup)
        => Assert.Throws<ArgumentOutOfRangeException>(() => new EwmaDetector(alpha, threshold, warmup));

    [Fact]
    public void A_burst_and_a_silence_in_one_category_raise_anomalies_and_the_other_category_stays_quiet()
    {
        var anomalies = new List<AnomalyDetected<string>>();
        var monitor = new RateAnomalyMonitor<string>(WindowSpec.Tumbling(TimeSpan.FromMinutes(1)), TimeSpan.Zero, () => new EwmaDetector(0.2, 4, 10), anomalies.Add);
        var minute = 0;
        void Minute(int orders, int accounts)
        {
            var start = T0.AddMinutes(minute++);
            for (var i = 0; i < orders; i++)
            {
                monitor.Add("order", start.AddMilliseconds(i * 10));
            }

            for (var i = 0; i < accounts; i++)
            {
                monitor.Add("account", start.AddMilliseconds(i * 10));
            }
        }

        for (var i = 0; i < 30; i++)
        {
            Minute(50 + (i % 3), 20 + (i % 2));
        }

        Minute(500, 20); // burst of orders
        Minute(51, 21);
        monitor.Flush();
        var burst = Assert.Single(anomalies);
        Assert.Equal("order", burst.Key);
        Assert.Equal(500, burst.Score.Value);
        Assert.True(burst.Score.ZScore > 4);

        anomalies.Clear();
        var silent = new RateAnomalyMonitor<string>(WindowSpec.Tumbling(TimeSpan.FromMinutes(1)), TimeSpan.Zero, () => new EwmaDetector(0.2, 4, 10), anomalies.Add);
        for (var i = 0; i < 30; i++)
        {
            for (var j = 0; j < 50 + (i % 3); j++)
            {
                silent.Add("order", T0.AddMinutes(i).AddMilliseconds(j));
            }
        }

        silent.Add("order", T0.AddMinutes(35)); // minutes 30-34 had no orders
        silent.Flush();
        Assert.Contains(anomalies, a => a.Score.Value == 0 && a.WindowStart == T0.AddMinutes(30));

        var data = anomalies[0].ToEventData();
        Assert.Equal(AnomalyDetected<string>.EventType, data.EventType);
        Assert.Contains("\"key\":\"order\"", System.Text.Encoding.UTF8.GetString(data.Data.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void Sliding_windows_are_refused_for_rates()
        => Assert.Throws<ArgumentException>(() => new RateAnomalyMonitor<string>(WindowSpec.Sliding(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10)), TimeSpan.Zero, () => new EwmaDetector(), _ => { }));
}
