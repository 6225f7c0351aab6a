using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Eventuali.Hosting;

/// <summary>
/// Binds <see cref="EventualiOptions"/> from a configuration section key by key (no reflection, so trimming and
/// Native AOT keep working). A value that does not parse is reported by <see cref="EventualiOptionsValidator"/>
/// with its key, never with the value itself.
/// </summary>
internal sealed class EventualiOptionsBinding(IConfiguration section, string path) : IConfigureOptions<EventualiOptions>
{
    /// <summary>The section's path ("Eventuali"), used to name options in messages.</summary>
    public string Path { get; } = path;

    /// <summary>Whether the section has any value at all (a missing section is a startup error).</summary>
    public bool SectionExists => section.GetChildren().Any();

    /// <summary>Keys whose values did not parse, as full paths.</summary>
    public List<string> Unparsed { get; } = [];

    public void Configure(EventualiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Unparsed.Clear();
        if (section["Url"] is { } url)
        {
            options.Url = url;
        }

        Parse<bool>("CreateIfMissing", bool.TryParse, v => options.CreateIfMissing = v);
        var health = section.GetSection("HealthChecks");
        Parse<TimeSpan>("HealthChecks:MaxProjectionLag", health["MaxProjectionLag"], TryTimeSpan, v => options.HealthChecks.MaxProjectionLag = v);
        Parse<TimeSpan>("HealthChecks:MaxWatermarkStall", health["MaxWatermarkStall"], TryTimeSpan, v => options.HealthChecks.MaxWatermarkStall = v);
        Parse<long>("HealthChecks:MaxDeadLetterGrowth", health["MaxDeadLetterGrowth"], TryLong, v => options.HealthChecks.MaxDeadLetterGrowth = v);
        Parse<TimeSpan>("HealthChecks:MaxRelayLag", health["MaxRelayLag"], TryTimeSpan, v => options.HealthChecks.MaxRelayLag = v);
        Parse<TimeSpan>("HealthChecks:Timeout", health["Timeout"], TryTimeSpan, v => options.HealthChecks.Timeout = v);
    }

    private delegate bool TryParser<T>(string text, out T value);

    private void Parse<T>(string key, TryParser<T> parse, Action<T> set) => Parse(key, section[key], parse, set);

    private void Parse<T>(string key, string? text, TryParser<T> parse, Action<T> set)
    {
        if (text is null)
        {
            return;
        }

        if (parse(text.Trim(), out var value))
        {
            set(value);
        }
        else
        {
            Unparsed.Add($"{Path}:{key}");
        }
    }

    private static bool TryTimeSpan(string text, out TimeSpan value) => TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);

    private static bool TryLong(string text, out long value) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
}
