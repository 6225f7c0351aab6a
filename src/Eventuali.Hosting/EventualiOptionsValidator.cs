using Microsoft.Extensions.Options;

namespace Eventuali.Hosting;

/// <summary>
/// Checks <see cref="EventualiOptions"/> when the host starts: every failure names its option ("Eventuali:Url") and
/// says what is expected; the URL itself is never repeated, since it may hold a password.
/// </summary>
internal sealed class EventualiOptionsValidator(EventualiOptionsBinding? binding = null) : IValidateOptions<EventualiOptions>
{
    private static readonly string[] Schemes = ["sqlite", "memory", "postgresql", "postgres"];

    public ValidateOptionsResult Validate(string? name, EventualiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = binding?.Path ?? EventualiOptions.SectionName;
        var failures = new List<string>();
        if (binding is { SectionExists: false } && options.Url is null)
        {
            failures.Add($"The configuration section '{path}' is missing; set {path}:Url (e.g. sqlite://events.db).");
        }
        else if (UrlProblem(options.Url) is { } problem)
        {
            failures.Add($"{path}:Url {problem}");
        }

        failures.AddRange((binding?.Unparsed ?? []).Select(key => $"{key} is not a valid value."));
        var health = options.HealthChecks;
        if (health is null)
        {
            failures.Add($"{path}:HealthChecks must not be null.");
        }
        else
        {
            NotNegative(failures, $"{path}:HealthChecks:MaxProjectionLag", health.MaxProjectionLag);
            NotNegative(failures, $"{path}:HealthChecks:MaxRelayLag", health.MaxRelayLag);
            Positive(failures, $"{path}:HealthChecks:MaxWatermarkStall", health.MaxWatermarkStall);
            Positive(failures, $"{path}:HealthChecks:Timeout", health.Timeout);
            if (health.MaxDeadLetterGrowth < 0)
            {
                failures.Add($"{path}:HealthChecks:MaxDeadLetterGrowth must not be negative (was {health.MaxDeadLetterGrowth}).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>What is wrong with the URL's shape, or null; parsing beyond the scheme is the backend's, at open.</summary>
    internal static string? UrlProblem(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "is required (e.g. sqlite://events.db, memory:// or postgresql://user@host/db).";
        }

        var separator = url.IndexOf("://", StringComparison.Ordinal);
        if (separator < 0)
        {
            return LooksLikeKeywordConnectionString(url)
                ? null
                : "has no scheme; expected sqlite://, memory://, postgresql:// or an Npgsql keyword connection string (Host=...).";
        }

        var scheme = url[..separator];
        return Schemes.Contains(scheme, StringComparer.OrdinalIgnoreCase)
            ? null
            : $"has an unknown scheme '{Printable(scheme)}'; expected sqlite, memory, postgresql or postgres.";
    }

    private static bool LooksLikeKeywordConnectionString(string value)
        => value.Split(';').Any(part => part.TrimStart().StartsWith("host=", StringComparison.OrdinalIgnoreCase) || part.TrimStart().StartsWith("server=", StringComparison.OrdinalIgnoreCase));

    // A scheme is short and cannot hold the password (that comes after "://"); still, keep the message bounded.
    private static string Printable(string scheme) => scheme.Length <= 32 ? scheme : scheme[..32] + "...";

    private static void NotNegative(List<string> failures, string key, TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            failures.Add($"{key} must not be negative (was {value}).");
        }
    }

    private static void Positive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{key} must be positive (was {value}).");
        }
    }
}
