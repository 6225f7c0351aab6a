using System.Diagnostics;
using System.Diagnostics.Metrics;
using Eventuali.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Eventuali.Cli.Commands;

/// <summary>
/// Who listens to Eventuali's spans and metrics during <c>eventuali benchmark --telemetry</c>: nobody (<c>off</c>),
/// bare .NET listeners that sample every span and take every measurement (<c>listener</c>), or the OpenTelemetry SDK
/// recording everything and exporting it, in batches, to an exporter that drops it (<c>sdk</c>).
/// </summary>
internal static class BenchmarkTelemetry
{
    public static readonly string[] Modes = ["off", "listener", "sdk"];

    public static IDisposable Start(string mode) => mode switch
    {
        "off" => new Nothing(),
        "listener" => new Listeners(),
        "sdk" => new SdkExport(),
        _ => throw new UsageException($"Unknown --telemetry '{mode}'; expected one of {string.Join(", ", Modes)}."),
    };

    private sealed class Nothing : IDisposable
    {
        public void Dispose()
        {
        }
    }

    private sealed class Listeners : IDisposable
    {
        private readonly ActivityListener _activities = new()
        {
            ShouldListenTo = s => s.Name == EventualiDiagnostics.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };

        private readonly MeterListener _meters = new();

        public Listeners()
        {
            ActivitySource.AddActivityListener(_activities);
            _meters.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == EventualiDiagnostics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _meters.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
            _meters.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
            _meters.Start();
        }

        public void Dispose()
        {
            _meters.Dispose();
            _activities.Dispose();
        }
    }

    private sealed class SdkExport : IDisposable
    {
        private readonly TracerProvider _tracer = Sdk.CreateTracerProviderBuilder()
            .AddEventualiInstrumentation()
            .SetSampler(new AlwaysOnSampler())
            .AddProcessor(new BatchActivityExportProcessor(new Dropping<Activity>()))
            .Build()!;

        private readonly MeterProvider _meter = Sdk.CreateMeterProviderBuilder()
            .AddEventualiInstrumentation()
            .AddReader(new PeriodicExportingMetricReader(new Dropping<Metric>(), exportIntervalMilliseconds: 1000))
            .Build()!;

        public void Dispose()
        {
            _tracer.Dispose();
            _meter.Dispose();
        }
    }

    /// <summary>An exporter that accepts every batch and keeps nothing: the cost measured is recording and batching.</summary>
    private sealed class Dropping<T> : BaseExporter<T>
        where T : class
    {
        public override ExportResult Export(in Batch<T> batch)
        {
            foreach (var item in batch)
            {
                _ = item;
            }

            return ExportResult.Success;
        }
    }
}
