using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Eventuali.OpenTelemetry.Tests;

/// <summary>The OpenTelemetry SDK listening to Eventuali (and to the tests' own source), exporting to memory.</summary>
internal sealed class Collected : IDisposable
{
    public const string TestSource = "Eventuali.Tests";

    public static readonly ActivitySource Test = new(TestSource);

    private readonly TracerProvider _tracer;
    private readonly MeterProvider _meter;

    public Collected()
    {
        _tracer = Sdk.CreateTracerProviderBuilder()
            .AddEventualiInstrumentation()
            .AddSource(TestSource)
            .SetSampler(new AlwaysOnSampler())
            .AddInMemoryExporter(Spans)
            .Build()!;
        _meter = Sdk.CreateMeterProviderBuilder()
            .AddEventualiInstrumentation()
            .AddInMemoryExporter(Metrics)
            .Build()!;
    }

    public List<Activity> Spans { get; } = [];

    public List<MetricSnapshot> Metrics { get; } = [];

    /// <summary>Spans of the Eventuali source only.</summary>
    public List<Activity> Eventuali => [.. Spans.Where(s => s.Source.Name == "Eventuali")];

    /// <summary>Collects the metrics now and returns the last snapshot of <paramref name="name"/>.</summary>
    public MetricSnapshot Metric(string name)
    {
        Metrics.Clear();
        _meter.ForceFlush();
        return Metrics.LastOrDefault(m => m.Name == name) ?? throw new Xunit.Sdk.XunitException($"no metric {name}; got {string.Join(", ", Metrics.Select(m => m.Name))}");
    }

    /// <summary>Collects the metrics now and returns every one exported.</summary>
    public List<MetricSnapshot> All()
    {
        Metrics.Clear();
        _meter.ForceFlush();
        return [.. Metrics];
    }

    public void Dispose()
    {
        _tracer.Dispose();
        _meter.Dispose();
    }
}

/// <summary>Metric points as plain values (MetricPoint is a ref-friendly struct, awkward in async tests).</summary>
internal static class Points
{
    public sealed record Point(Dictionary<string, object?> Tags, long LongValue, double DoubleValue, long Count, double[] Bounds);

    public static List<Point> Of(MetricSnapshot metric)
    {
        var result = new List<Point>();
        foreach (var p in metric.MetricPoints)
        {
            var tags = new Dictionary<string, object?>();
            foreach (var tag in p.Tags)
            {
                tags[tag.Key] = tag.Value;
            }

            var isHistogram = metric.MetricType is MetricType.Histogram;
            var bounds = new List<double>();
            if (isHistogram)
            {
                foreach (var bucket in p.GetHistogramBuckets())
                {
                    bounds.Add(bucket.ExplicitBound);
                }
            }

            long longValue = metric.MetricType switch
            {
                MetricType.LongSum or MetricType.LongSumNonMonotonic => p.GetSumLong(),
                MetricType.LongGauge => p.GetGaugeLastValueLong(),
                _ => 0,
            };
            double doubleValue = metric.MetricType switch
            {
                MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => p.GetSumDouble(),
                MetricType.DoubleGauge => p.GetGaugeLastValueDouble(),
                MetricType.Histogram => p.GetHistogramSum(),
                _ => 0,
            };
            result.Add(new Point(tags, longValue, doubleValue, isHistogram ? p.GetHistogramCount() : 0, [.. bounds]));
        }

        return result;
    }
}
