using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Eventuali.OpenTelemetry.Prometheus.Tests;

/// <summary>The alert rules and the Grafana dashboard under deploy/ are valid PromQL and fire when they should.</summary>
public sealed partial class DeployArtifactsTests
{
    private static readonly string RulesDirectory = Repository.PathOf("deploy", "prometheus");

    [Fact]
    public async Task Alert_rules_pass_promtool_check()
    {
        var (code, output) = await Promtool.RunAsync(RulesDirectory, null, "check", "rules", "eventuali-alerts.yml");
        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS: 5 rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alert_rules_pass_their_unit_tests()
    {
        var (code, output) = await Promtool.RunAsync(RulesDirectory, null, "test", "rules", "eventuali-alerts.test.yml");
        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_dashboard_query_is_valid_promql()
    {
        var exprs = DashboardExpressions();
        Assert.True(exprs.Count >= 15, $"the dashboard has {exprs.Count} queries");

        // promtool checks PromQL through rule files: each query becomes a recording rule.
        var rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (var i = 0; i < exprs.Count; i++)
        {
            rules.Append(System.Globalization.CultureInfo.InvariantCulture, $"      - record: dashboard:query_{i}\n        expr: {JsonSerializer.Serialize(Concrete(exprs[i]))}\n");
        }

        var file = Path.Combine(Path.GetTempPath(), $"eventuali-dashboard-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(file, rules.ToString(), TestContext.Current.CancellationToken);
        try
        {
            var (code, output) = await Promtool.RunAsync(Path.GetTempPath(), null, "check", "rules", file);
            Assert.True(code == 0, output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_dashboard_and_the_rules_read_only_metrics_the_library_exposes()
    {
        await ScrapedApp.TextAsync(); // the store has run, so every instrument of the meter is published
        var used = DashboardExpressions().Concat([File.ReadAllText(Path.Combine(RulesDirectory, "eventuali-alerts.yml"))])
            .SelectMany(text => MetricName().Matches(text).Select(m => m.Value))
            .Select(BaseName)
            .ToHashSet(StringComparer.Ordinal);
        var exposed = ExposedMetrics.PrometheusNames();
        exposed.Add("db_client_connections_usage"); // db.client.connection.count, renamed for Prometheus; from Npgsql's meter on PostgreSQL
        var labels = typeof(Eventuali.Diagnostics.EventualiAttributes).GetFields()
            .Where(f => f.IsLiteral && f.Name is not ("SystemSqlite" or "SystemPostgreSql" or "SystemOther"))
            .Select(f => ((string)f.GetRawConstantValue()!).Replace('.', '_'))
            .ToHashSet(StringComparer.Ordinal);
        var unknown = used.Where(n => !exposed.Contains(n) && !labels.Contains(n)).Order().ToList();
        Assert.True(unknown.Count == 0, "not exposed by the library: " + string.Join(", ", unknown));
    }

    internal static List<string> DashboardExpressions()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("deploy", "grafana", "eventuali-dashboard.json")));
        return json.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
    }

    // Grafana's variables, replaced by what Grafana would substitute.
    private static string Concrete(string expr) => expr
        .Replace("$__rate_interval", "5m", StringComparison.Ordinal)
        .Replace("$job", ".*", StringComparison.Ordinal)
        .Replace("$instance", ".*", StringComparison.Ordinal);

    // A histogram's series names end in _bucket, _sum or _count; the family is what the library exposes.
    private static string BaseName(string name)
    {
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                return name[..^suffix.Length];
            }
        }

        return name;
    }

    [GeneratedRegex(@"\b(eventuali_[a-z_]+|db_client_[a-z_]+)\b")]
    private static partial Regex MetricName();
}
