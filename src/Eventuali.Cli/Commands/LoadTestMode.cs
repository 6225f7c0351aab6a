using System.CommandLine;
using System.Globalization;
using System.Text;
using Eventuali.Benchmarking;

namespace Eventuali.Cli.Commands;

/// <summary><c>eventuali benchmark --duration 60s --events-per-second 10000</c>: the paced load test of <see cref="LoadTestRunner"/>.</summary>
internal sealed class LoadTestMode
{
    private readonly Option<TimeSpan?> _duration = new("--duration")
    {
        Description = "Load-test mode: offer events at --events-per-second for this long (e.g. 60s, 2m, 500ms), one event per append, --concurrency writers.",
        HelpName = "time",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (TryParseDuration(text, out var duration))
            {
                return duration;
            }

            result.AddError($"--duration '{text}' is not a duration: use a number with s, m, ms or h (60s, 2m, 500ms).");
            return null;
        },
    };

    private readonly Option<int?> _rate = NumberOptions.NullableInt("--events-per-second", null, 1, 10_000_000);

    public void AddTo(Command command)
    {
        _rate.Description = "Load-test mode: the target rate (1 to 10,000,000).";
        _rate.HelpName = "n";
        command.Options.Add(_duration);
        command.Options.Add(_rate);
        Examples.Add(command, 
            "eventuali benchmark --workload append-batch --events 100000",
            "eventuali benchmark --duration 60s --events-per-second 10000 --json",
            "eventuali benchmark -d postgresql://user:password@localhost/bench --duration 30s --events-per-second 2000");
    }

    public bool IsRequested(ParseResult parse) => parse.GetValue(_duration) is not null || parse.GetValue(_rate) is not null;

    public async Task<int> RunAsync(ParseResult parse, CliIo io, Option<string?> database, Option<int> concurrency, Option<int> batch, Option<string> durability, Option<bool> json, CancellationToken ct)
    {
        if (parse.GetValue(_duration) is not { } duration || parse.GetValue(_rate) is not { } rate)
        {
            throw new UsageException("A load test needs both --duration and --events-per-second.");
        }

        var options = new LoadTestOptions
        {
            Duration = duration,
            EventsPerSecond = rate,
            Writers = parse.GetValue(concurrency),
            EventsPerStream = parse.GetValue(batch),
            Durability = parse.GetValue(durability) == "relaxed" ? Durability.Relaxed : Durability.Full,
            DatabaseUrl = parse.GetValue(database),
            Progress = io.ErrorIsTerminal ? new Progress(io.Error) : null,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message.Split(" (Parameter", 2)[0]);
        }

        var r = await LoadTestRunner.RunAsync(options, ct).ConfigureAwait(false);
        await io.Out.WriteLineAsync(parse.GetValue(json) ? ToJson(r, options) : Summary(r, options)).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        var t = text.Trim().ToLowerInvariant();
        var (number, unit) = t.EndsWith("ms", StringComparison.Ordinal) ? (t[..^2], 0.001)
            : t.EndsWith('s') ? (t[..^1], 1.0)
            : t.EndsWith('m') ? (t[..^1], 60.0)
            : t.EndsWith('h') ? (t[..^1], 3600.0)
            : (t, 1.0);
        var ok = double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0 && value * unit <= 86400;
        duration = ok ? TimeSpan.FromSeconds(value * unit) : TimeSpan.Zero;
        return ok;
    }

    private static string ToJson(LoadTestResult r, LoadTestOptions o) => Json.Object(w =>
    {
        w.WriteString("mode", "load");
        w.WriteString("backend", r.Backend);
        w.WriteNumber("target_events_per_sec", r.TargetEventsPerSecond);
        w.WriteNumber("duration_s", o.Duration.TotalSeconds);
        w.WriteNumber("writers", o.Writers);
        w.WriteNumber("events", r.Events);
        w.WriteNumber("seconds", Math.Round(r.Seconds, 6));
        w.WriteNumber("events_per_sec", Math.Round(r.EventsPerSecond, 1));
        w.WriteNumber("p50_ms", Math.Round(r.P50Milliseconds, 4));
        w.WriteNumber("p90_ms", Math.Round(r.P90Milliseconds, 4));
        w.WriteNumber("p99_ms", Math.Round(r.P99Milliseconds, 4));
        w.WriteNumber("p999_ms", Math.Round(r.P999Milliseconds, 4));
        w.WriteNumber("max_ms", Math.Round(r.MaxMilliseconds, 4));
        w.WriteNumber("max_backlog", r.MaxBacklog);
    });

    private static string Summary(LoadTestResult r, LoadTestOptions o)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(c, $"Mode         load test, {o.Writers} writers, one event per append").AppendLine();
        sb.Append(c, $"Backend      {r.Backend} ({r.Database})").AppendLine();
        sb.Append(c, $"Target       {r.TargetEventsPerSecond:N0} events/s for {o.Duration.TotalSeconds:N1} s ({r.Events:N0} events)").AppendLine();
        sb.Append(c, $"Achieved     {r.EventsPerSecond:N0} events/s ({r.EventsPerSecond / r.TargetEventsPerSecond:P1} of target; last append returned after {r.Seconds:N3} s)").AppendLine();
        sb.Append(c, $"Latency      p50 {r.P50Milliseconds:N3} ms, p90 {r.P90Milliseconds:N3} ms, p99 {r.P99Milliseconds:N3} ms, p99.9 {r.P999Milliseconds:N3} ms, max {r.MaxMilliseconds:N3} ms (from due time to append return)").AppendLine();
        sb.Append(c, $"Backlog      at most {r.MaxBacklog:N0} due events waited for a free writer");
        return sb.ToString();
    }

    private sealed class Progress(TextWriter error) : IProgress<string>
    {
        public void Report(string value) => error.WriteLine("... " + value);
    }
}
