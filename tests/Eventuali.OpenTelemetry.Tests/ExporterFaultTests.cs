using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Eventuali.OpenTelemetry.Tests;

public sealed class ExporterFaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_exporter_that_cannot_reach_its_collector_does_not_slow_appends()
    {
        await using var stores = new Stores();
        var store = await stores.OpenAsync("sqlite");
        var category = Stores.NewCategory();
        const int appends = 300;

        async Task<TimeSpan> AppendAllAsync(int round)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < appends; i++)
            {
                await store.AppendAsync($"{category}-{round}-{i}", ExpectedVersion.NoStream, [Stores.Event()], Ct);
            }

            return watch.Elapsed;
        }

        await AppendAllAsync(0); // warm-up
        var baseline = await AppendAllAsync(1);

        // A port nothing listens on: bound, then closed again.
        var endpoint = new Uri($"http://127.0.0.1:{ClosedPort()}");
        var tracer = Sdk.CreateTracerProviderBuilder().AddEventualiInstrumentation()
            .AddOtlpExporter(o => { o.Endpoint = endpoint; o.TimeoutMilliseconds = 2000; })
            .Build()!;
        var meter = Sdk.CreateMeterProviderBuilder().AddEventualiInstrumentation()
            .AddOtlpExporter((o, reader) => { o.Endpoint = endpoint; o.TimeoutMilliseconds = 2000; reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 100; })
            .Build()!;
        TimeSpan exporting;
        try
        {
            exporting = await AppendAllAsync(2);
        }
        finally
        {
            // Shutting down may wait for the failing export's timeout; that is the provider's time, not an append's.
            await Task.Run(() => { tracer.Dispose(); meter.Dispose(); }, CancellationToken.None);
        }

        // Generous: export runs on the SDK's own threads, so appends cost what listening costs, not a network timeout.
        Assert.True(exporting < (baseline * 4) + TimeSpan.FromSeconds(1), $"{appends} appends took {exporting.TotalMilliseconds:0} ms exporting to a closed port vs {baseline.TotalMilliseconds:0} ms without a listener");
    }

    private static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
