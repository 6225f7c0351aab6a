using System.Diagnostics.Metrics;
using System.Text.Json;
using Eventuali.Diagnostics;
using Eventuali.Hosting;
using Eventuali.Projections;
using Eventuali.Subscriptions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Eventuali.OpenTelemetry.Prometheus.Tests;

/// <summary>
/// A real ASP.NET Core app on a loopback port with a SQLite store, a projection (one event type always fails, so it is
/// dead-lettered), a subscription, and a workload of appends, a version conflict and reads; then one scrape of
/// /metrics. Shared by the tests (one app per run).
/// </summary>
internal static class ScrapedApp
{
    /// <summary>Written into every payload and stream id: neither may reach the exposition.</summary>
    public const string PayloadMarker = "secret-payload-7f3a";
    public const string StreamMarker = "customer-stream-9c1d";

    private static readonly Lazy<Task<string>> Scrape = new(RunAsync);

    public static Task<string> TextAsync() => Scrape.Value;

    private static async Task<string> RunAsync()
    {
        var directory = Directory.CreateTempSubdirectory("eventuali-prometheus-");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddEventuali("sqlite://" + Path.Combine(directory.FullName, "events.db"));
        builder.Services.AddEventualiProjections(_ => [new Totals()]);
        builder.Services.AddEventualiSubscription(new SubscriptionOptions { Name = "audit" }, _ => (_, _) => ValueTask.CompletedTask);
        builder.Services.AddEventualiMetrics();
        await using var app = builder.Build();
        app.MapEventualiMetrics();
        await app.StartAsync();
        try
        {
            var store = app.Services.GetRequiredService<IEventStore>();
            for (var i = 0; i < 50; i++)
            {
                await store.AppendAsync($"{StreamMarker}-{i}", ExpectedVersion.NoStream, [Totals.Added(i)]);
            }

            await store.AppendAsync($"{StreamMarker}-0", ExpectedVersion.Exact(1), [EventData.Json(Totals.Poison, "{}")]);
            await Assert.ThrowsAnyAsync<Exception>(async () =>
                await store.AppendAsync($"{StreamMarker}-1", ExpectedVersion.NoStream, [Totals.Added(1)]));
            await foreach (var _ in store.ReadStreamAsync($"{StreamMarker}-2"))
            {
            }

            await foreach (var _ in store.ReadAllAsync())
            {
            }

            var daemon = app.Services.GetRequiredService<ProjectionDaemon>();
            await daemon.WaitForCatchUpAsync(Totals.ProjectionName).WaitAsync(TimeSpan.FromMinutes(2));
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            return await http.GetStringAsync(new Uri(EventualiMetricsExtensions.DefaultPath, UriKind.Relative));
        }
        finally
        {
            await app.StopAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private sealed class Totals : Projection
    {
        public const string ProjectionName = "totals";
        public const string Poison = "poison";

        public Totals()
            : base(ProjectionName)
        {
            FailurePolicy = new ProjectionFailurePolicy { MaxAttempts = 1 };
            On("added", async (e, ctx, ct) => await ctx.Documents.PutAsync(e.StreamId, "{}", ct));
            On(Poison, (_, _, _) => throw new InvalidOperationException("this event type always fails"));
        }

        public static EventData Added(int n)
            => EventData.Json("added", JsonSerializer.Serialize(new { n, note = PayloadMarker }));
    }
}

/// <summary>
/// What the library can expose in Prometheus form: every instrument of the Eventuali meter, named as the
/// OpenTelemetry Prometheus exporter names it (checked against a real scrape by the tests).
/// </summary>
internal static class ExposedMetrics
{
    public static (string Name, string Unit, string Kind)[] Instruments()
    {
        var found = new List<(string, string, string)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (instrument.Meter.Name == EventualiDiagnostics.MeterName)
            {
                found.Add((instrument.Name, instrument.Unit ?? "", instrument.GetType().Name));
            }
        };
        listener.Start();
        return [.. found];
    }

    /// <summary>The family name the exporter gives an instrument: underscores, a unit suffix, _total on counters.</summary>
    public static string PrometheusName(string name, string unit, string kind)
    {
        var result = name.Replace('.', '_');
        if (unit == "s")
        {
            result += "_seconds";
        }
        else if (unit == "By")
        {
            result += "_bytes";
        }

        return kind.StartsWith("Counter", StringComparison.Ordinal) || kind.StartsWith("ObservableCounter", StringComparison.Ordinal)
            ? result + "_total"
            : result;
    }

    public static HashSet<string> PrometheusNames()
        => Instruments().Select(i => PrometheusName(i.Name, i.Unit, i.Kind)).ToHashSet(StringComparer.Ordinal);
}
