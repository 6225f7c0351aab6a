using System.CommandLine;
using System.Globalization;
using Eventuali.Lifecycle;

namespace Eventuali.Cli.Commands.Stream;

/// <summary><c>eventuali stream retention</c>: applies a retention policy now (retention never runs on its own).</summary>
internal static class StreamRetentionCommand
{
    public static Command Create(CliIo io)
    {
        var database = CommonOptions.Database();
        var stream = StreamCommandKit.StreamOption(required: false);
        var category = new Option<string?>("--category") { Description = "Apply to every live stream whose id starts with this prefix (e.g. order-)." };
        var maxCount = new Option<int?>("--max-count") { Description = "Keep at most this many newest events per stream.", HelpName = "N" };
        var maxAge = new Option<TimeSpan?>("--max-age")
        {
            Description = "Remove events older than this: 90s, 15m, 12h, 30d, or d.hh:mm:ss.",
            HelpName = "age",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
                if (TryParseAge(text, out var age))
                {
                    return age;
                }

                result.AddError($"--max-age '{text}' is not an age: use a number with s, m, h or d (e.g. 30d), or d.hh:mm:ss.");
                return null;
            },
        };
        var json = StreamCommandKit.JsonOption();
        var command = new Command("retention", StreamCommandKit.WithExamples(
            "Apply a retention policy now: truncate one stream (--stream) or a category (--category) to its newest events (--max-count) and/or its recent ones (--max-age). Versions are kept.",
            "eventuali stream retention -d sqlite://shop.db --category order- --max-count 1000",
            "eventuali stream retention -s audit-log --max-age 90d --json",
            "eventuali stream retention --category session- --max-count 50 --max-age 12h",
            "eventuali stream retention -d sqlite://tenants/?tenancy=file --tenant acme  (the tenant's stored retention)"))
        {
            database, stream, category, maxCount, maxAge, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var policy = new RetentionPolicy
            {
                StreamId = parse.GetValue(stream),
                StreamIdPrefix = parse.GetValue(category),
                MaxCount = parse.GetValue(maxCount),
                MaxAge = parse.GetValue(maxAge),
            };
            if (policy is { StreamId: null, StreamIdPrefix: null, MaxCount: null, MaxAge: null })
            {
                // No policy given: the store's own retention (a tenant's, set with 'tenants config --retention-…').
                return await StreamCommandKit.RunAsync(io, parse.GetValue(database), async (store, _) =>
                {
                    if (store.Options.Retention is null)
                    {
                        throw new UsageException("This store has no retention of its own; give --stream or --category with --max-count and/or --max-age, or set a tenant's with 'tenants config ID --retention-max-count N'.");
                    }

                    var result = await store.ApplyStoreRetentionAsync(ct).ConfigureAwait(false);
                    return await StreamCommandKit.ReportAsync(io, parse.GetValue(json), w =>
                    {
                        w.WriteNumber("streamsTruncated", result.StreamsTruncated);
                        w.WriteNumber("eventsRemoved", result.EventsRemoved);
                    }, $"Removed {result.EventsRemoved} event(s) from {result.StreamsTruncated} stream(s) (the store's own retention).").ConfigureAwait(false);
                }, ct).ConfigureAwait(false);
            }

            if ((policy.StreamId is null) == (policy.StreamIdPrefix is null))
            {
                throw new UsageException("stream retention needs exactly one of --stream S or --category PREFIX.");
            }

            if (policy.MaxCount is null && policy.MaxAge is null)
            {
                throw new UsageException("stream retention needs --max-count, --max-age or both.");
            }

            if (policy.MaxCount < 1)
            {
                throw new UsageException($"--max-count must be 1 or more; got {policy.MaxCount}.");
            }

            return await StreamCommandKit.RunAsync(io, parse.GetValue(database), async (store, _) =>
            {
                var result = await store.ApplyRetentionAsync(policy, ct).ConfigureAwait(false);
                return await StreamCommandKit.ReportAsync(io, parse.GetValue(json), w =>
                {
                    w.WriteNumber("streamsTruncated", result.StreamsTruncated);
                    w.WriteNumber("eventsRemoved", result.EventsRemoved);
                }, $"Removed {result.EventsRemoved} event(s) from {result.StreamsTruncated} stream(s).").ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
        });
        return command;
    }

    internal static bool TryParseAge(string text, out TimeSpan age)
    {
        text = text.Trim();
        age = default;
        if (text.Length >= 2 && char.IsAsciiLetter(text[^1])
            && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
        {
            double? seconds = char.ToLowerInvariant(text[^1]) switch
            {
                's' => n,
                'm' => n * 60,
                'h' => n * 3600,
                'd' => n * 86400,
                _ => null,
            };
            if (seconds is { } s && s <= TimeSpan.MaxValue.TotalSeconds)
            {
                age = TimeSpan.FromSeconds(s);
                return true;
            }

            return false;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out age) && age >= TimeSpan.Zero;
    }
}
