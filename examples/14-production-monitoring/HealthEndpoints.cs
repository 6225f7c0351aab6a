using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;

namespace Monitoring;

/// <summary>A health answer: the HTTP status, and one line per failing check with its description.</summary>
internal sealed record HealthAnswer(HttpStatusCode Status, IReadOnlyList<string> FailingChecks);

/// <summary>Health endpoints that answer in JSON (each check's status and description), and a client for them.</summary>
internal static class HealthEndpoints
{
    public static HealthCheckOptions Options(string tag) => new()
    {
        Predicate = r => r.Tags.Contains(tag),
        ResponseWriter = async (context, report) =>
        {
            context.Response.ContentType = "application/json";
            var body = new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
            };
            await context.Response.WriteAsync(JsonSerializer.Serialize(body), Encoding.UTF8);
        },
    };

    public static async Task<HealthAnswer> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var failing = json.RootElement.GetProperty("checks").EnumerateObject()
            .Where(c => c.Value.GetProperty("status").GetString() != "Healthy")
            .Select(c => $"{c.Name}: {c.Value.GetProperty("status").GetString()} - {c.Value.GetProperty("description").GetString()}")
            .ToList();
        return new HealthAnswer(response.StatusCode, failing);
    }

    /// <summary>Polls <paramref name="path"/> until it answers <paramref name="expected"/>; fails after <paramref name="deadline"/>.</summary>
    public static async Task<HealthAnswer> WaitForAsync(HttpClient http, string path, HttpStatusCode expected, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        while (true)
        {
            var answer = await GetAsync(http, path);
            if (answer.Status == expected)
            {
                return answer;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token); // polling interval, not a stand-in for work
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{path} did not answer {(int)expected} within {deadline.TotalSeconds} s (last: {(int)answer.Status}).");
            }
        }
    }
}
