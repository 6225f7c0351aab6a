using System.CommandLine;
using System.Globalization;
using System.Text;
using Eventuali.Statistics;

namespace Eventuali.Cli.Commands;

/// <summary>
/// <c>eventuali stats</c>: streams, events, size on disk, counts per event type and per category, and a compliance
/// section (data keys, erasures, the event chain) when the store uses any of them or a key file is given.
/// </summary>
internal static class StatsCommand
{
    public static Command Create(CliIo io)
    {
        var database = CommonOptions.Database();
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("stats", "Show how many streams and events the store holds, its size on disk, and counts per event type and per category (the stream id before its first '-'); with data keys, erasures, a sealed event chain or a key file, also a compliance section; with read replicas (replica= in a PostgreSQL URL), their state and lag.")
        {
            database, json,
        };
        Examples.Add(command, "eventuali stats -d sqlite://events.db", "eventuali stats -d sqlite://events.db --json");
        command.SetAction(async (parse, ct) =>
        {
            var url = CommonOptions.ResolveDatabase(parse.GetValue(database), io);
            var store = await CommonOptions.OpenAsync(url, ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                var source = store.GetFeature<IStoreStatistics>()
                    ?? throw new EventStoreConfigurationException($"The store {StoreLocation.Display(url)} does not report statistics.");
                var stats = await source.GetStatisticsAsync(ct).ConfigureAwait(false);
                var compliance = await ComplianceStats.ReadAsync(store, KeyFileOption.Path, TimeProvider.System, ct).ConfigureAwait(false);
                var replicas = await ReplicaStats.ReadAsync(store, ct).ConfigureAwait(false);
                await io.Out.WriteLineAsync(parse.GetValue(json) ? ToJson(stats, compliance, replicas) : ToText(stats, StoreLocation.Display(url), compliance, replicas)).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    internal static string ToJson(StoreStatistics s, ComplianceStats? compliance = null, IReadOnlyList<PostgreSql.PostgreSqlReplicaStatus>? replicas = null) => Json.Object(w =>
    {
        w.WriteNumber("streams", s.Streams);
        w.WriteNumber("events", s.Events);
        if (s.SizeOnDiskBytes is { } size)
        {
            w.WriteNumber("size_on_disk_bytes", size);
        }
        else
        {
            w.WriteNull("size_on_disk_bytes");
        }

        w.WriteStartObject("event_types");
        foreach (var t in s.EventTypes)
        {
            w.WriteNumber(t.EventType, t.Events);
        }

        w.WriteEndObject();
        w.WriteStartObject("categories");
        foreach (var c in s.Categories)
        {
            w.WriteStartObject(c.Category);
            w.WriteNumber("streams", c.Streams);
            w.WriteNumber("events", c.Events);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        compliance?.WriteJson(w);
        if (replicas is not null)
        {
            ReplicaStats.WriteJson(w, replicas);
        }
    });

    private static string ToText(StoreStatistics s, string store, ComplianceStats? compliance, IReadOnlyList<PostgreSql.PostgreSqlReplicaStatus>? replicas)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(c, $"Store         {store}").AppendLine();
        sb.Append(c, $"Streams       {s.Streams:N0}").AppendLine();
        sb.Append(c, $"Events        {s.Events:N0}").AppendLine();
        sb.Append(c, $"Size on disk  {(s.SizeOnDiskBytes is { } b ? $"{b:N0} bytes ({Human(b)})" : "n/a (in memory)")}").AppendLine();
        var typeWidth = Math.Max(10, s.EventTypes.Select(t => t.EventType.Length).DefaultIfEmpty(0).Max());
        sb.AppendLine().Append("Event type".PadRight(typeWidth)).AppendLine("      events");
        foreach (var t in s.EventTypes)
        {
            sb.Append(t.EventType.PadRight(typeWidth)).Append(c, $"{t.Events,12:N0}").AppendLine();
        }

        var categoryWidth = Math.Max(10, s.Categories.Select(x => Category(x.Category).Length).DefaultIfEmpty(0).Max());
        sb.AppendLine().Append("Category".PadRight(categoryWidth)).AppendLine("     streams      events");
        foreach (var x in s.Categories)
        {
            sb.Append(Category(x.Category).PadRight(categoryWidth)).Append(c, $"{x.Streams,12:N0}{x.Events,12:N0}").AppendLine();
        }

        compliance?.WriteText(sb);
        if (replicas is not null)
        {
            ReplicaStats.WriteText(sb, replicas);
        }

        return sb.ToString().TrimEnd();
    }

    private static string Human(long bytes) => bytes < 1 << 20
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:N1} KiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:N1} MiB");

    private static string Category(string name) => name.Length == 0 ? "(none)" : name;
}
