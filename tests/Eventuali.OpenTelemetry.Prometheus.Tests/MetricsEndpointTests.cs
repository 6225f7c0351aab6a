namespace Eventuali.OpenTelemetry.Prometheus.Tests;

/// <summary>The /metrics endpoint of a real app: valid exposition, the expected families, nothing secret.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task The_exposition_passes_promtool_check_metrics()
    {
        var text = await ScrapedApp.TextAsync();
        var (code, output) = await Promtool.RunAsync(Path.GetTempPath(), text, "check", "metrics");
        Assert.True(code == 0, "promtool check metrics: " + output);
    }

    [Fact]
    public async Task The_workload_shows_up_under_the_documented_names()
    {
        var families = Families(await ScrapedApp.TextAsync());
        string[] expected =
        [
            "eventuali_append_duration_seconds", "eventuali_read_duration_seconds", "eventuali_events_appended_total",
            "eventuali_events_read_total", "eventuali_append_conflicts_total", "eventuali_append_batch_size",
            "eventuali_projection_lag", "eventuali_projection_lag_time_seconds", "eventuali_dead_letters_total",
            "eventuali_subscription_lag", "db_client_connections_usage",
        ];
        var missing = expected.Where(e => !families.Contains(e)).ToList();
        Assert.True(missing.Count == 0, "missing from the scrape: " + string.Join(", ", missing) + "\nscraped: " + string.Join(", ", families.Order()));
    }

    [Fact]
    public async Task Every_scraped_eventuali_family_is_named_as_the_docs_and_the_dashboard_assume()
    {
        var families = Families(await ScrapedApp.TextAsync()).Where(f => f.StartsWith("eventuali_", StringComparison.Ordinal));
        var predicted = ExposedMetrics.PrometheusNames();
        Assert.All(families, f => Assert.Contains(f, predicted));
    }

    [Fact]
    public async Task No_payload_stream_id_or_exception_message_is_exposed()
    {
        var text = await ScrapedApp.TextAsync();
        Assert.DoesNotContain(ScrapedApp.PayloadMarker, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ScrapedApp.StreamMarker, text, StringComparison.Ordinal);
        Assert.DoesNotContain("always fails", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sqlite://", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_without_a_leading_slash_is_refused_with_its_name()
    {
        var app = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder().Build();
        var error = Assert.Throws<ArgumentException>(() => app.MapEventualiMetrics("metrics"));
        Assert.Contains("must start with '/'", error.Message, StringComparison.Ordinal);
        Assert.Equal("path", error.ParamName);
    }

    /// <summary>Metric family names from the # TYPE lines.</summary>
    internal static HashSet<string> Families(string text)
        => text.Split('\n')
            .Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[2])
            .ToHashSet(StringComparer.Ordinal);
}
