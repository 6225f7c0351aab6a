using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Eventuali.Cli.Demo;
using Eventuali.Snapshots;
using Eventuali.Typed;

namespace Eventuali.Cli.Commands;

/// <summary><c>eventuali snapshot take|list|prune</c>: snapshots of a stream, next to its events.</summary>
internal static class SnapshotCommand
{
    private const string AccountPrefix = "account-";

    public static Command Create(CliIo io) => new("snapshot", "Take, list and prune aggregate snapshots of a stream.")
    {
        Take(io),
        List(io),
        Prune(io),
    };

    private static Option<string> Stream() => new("--stream", "-s") { Description = "The aggregate's stream.", Required = true };

    private static Option<bool> Json() => new("--json") { Description = "Print JSON (one object per line) instead of text." };

    private static Command Take(CliIo io)
    {
        var database = CommonOptions.Database();
        var stream = Stream();
        var codec = new Option<string>("--codec") { Description = "Compression: none, lz4 or zstd.", DefaultValueFactory = _ => "lz4" };
        codec.AcceptOnlyFromAmong("none", "lz4", "zstd");
        var json = Json();
        var command = new Command(
            "take",
            $"Snapshot a stream at its current version. The CLI knows one aggregate type: the demo's bank account (streams {AccountPrefix}<id>). Snapshot your own aggregates in code with store.TakeSnapshotAsync(aggregate).")
        {
            database, stream, codec, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var streamId = parse.GetRequiredValue(stream);
            if (!streamId.StartsWith(AccountPrefix, StringComparison.Ordinal) || streamId.Length == AccountPrefix.Length)
            {
                throw new UsageException($"snapshot take knows the demo's bank account aggregate only (streams {AccountPrefix}<id>); '{streamId}' is not one. Take snapshots of other aggregates in code with store.TakeSnapshotAsync(aggregate).");
            }

            var store = await OpenAsync(io, parse.GetValue(database), ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                var account = await store.LoadAsync<BankAccount>(streamId[AccountPrefix.Length..], ct).ConfigureAwait(false)
                    ?? throw new EventualiException($"Stream '{streamId}' does not exist; there is nothing to snapshot.");
                var info = await store.TakeSnapshotAsync(account, SnapshotCodecNames.Parse(parse.GetValue(codec)), ct).ConfigureAwait(false);
                await io.Out.WriteLineAsync(parse.GetValue(json) ? ToJson(info) : $"snapshot of {info.StreamId} at version {info.Version} (position {info.Position}): {info.StoredBytes} bytes, {SnapshotCodecNames.NameOf(info.Codec)}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(CliIo io)
    {
        var database = CommonOptions.Database();
        var stream = Stream();
        var json = Json();
        var command = new Command("list", "List a stream's snapshots, newest first: version, position, aggregate type, schema version, codec, stored bytes, when taken.")
        {
            database, stream, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var streamId = parse.GetRequiredValue(stream);
            var asJson = parse.GetValue(json);
            var store = await OpenAsync(io, parse.GetValue(database), ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                var count = 0;
                await foreach (var info in Snapshots(store).ListSnapshotsAsync(streamId, ct).ConfigureAwait(false))
                {
                    if (count++ == 0 && !asJson)
                    {
                        await io.Out.WriteLineAsync("version  position  aggregate  schema  codec  bytes  created").ConfigureAwait(false);
                    }

                    await io.Out.WriteLineAsync(asJson ? ToJson(info) : Line(info)).ConfigureAwait(false);
                }

                if (count == 0 && !asJson)
                {
                    await io.Out.WriteLineAsync($"no snapshots of stream '{streamId}'").ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Prune(CliIo io)
    {
        var database = CommonOptions.Database();
        var stream = Stream();
        var keep = new Option<int>("--keep", "-k") { Description = "How many of the newest snapshots to keep (0 deletes all; loads then replay events).", Required = true };
        var json = Json();
        var command = new Command("prune", "Delete all but the newest --keep snapshots of a stream. Events are never touched.")
        {
            database, stream, keep, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var streamId = parse.GetRequiredValue(stream);
            var k = parse.GetValue(keep);
            if (k < 0)
            {
                throw new UsageException($"--keep must be 0 or more; got {k}.");
            }

            var store = await OpenAsync(io, parse.GetValue(database), ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                var deleted = await Snapshots(store).PruneSnapshotsAsync(streamId, k, ct).ConfigureAwait(false);
                await io.Out.WriteLineAsync(parse.GetValue(json)
                    ? $$"""{"stream":{{JsonSerializer.Serialize(streamId, CliJson.Default.String)}},"kept_at_most":{{k}},"deleted":{{deleted}}}"""
                    : $"deleted {deleted} snapshot(s) of '{streamId}', kept at most {k}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static ValueTask<IEventStore> OpenAsync(CliIo io, string? given, CancellationToken ct)
        => CommonOptions.OpenAsync(CommonOptions.ResolveDatabase(given, io), ct);

    private static ISnapshotStore Snapshots(IEventStore store) => store.GetFeature<ISnapshotStore>()
        ?? throw new EventualiException($"The {store.GetType().Name} store does not keep snapshots.");

    private static string Line(SnapshotInfo i) => string.Create(
        CultureInfo.InvariantCulture,
        $"{i.Version,7}  {i.Position,8}  {i.AggregateType}  {i.SchemaVersion,6}  {SnapshotCodecNames.NameOf(i.Codec),5}  {i.StoredBytes,5}  {i.CreatedAt:yyyy-MM-ddTHH:mm:ss.ffffffZ}");

    internal static string ToJson(SnapshotInfo i)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Cli.Json.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("stream", i.StreamId);
            w.WriteNumber("version", i.Version);
            w.WriteNumber("position", i.Position);
            w.WriteString("aggregate_type", i.AggregateType);
            w.WriteNumber("schema_version", i.SchemaVersion);
            w.WriteString("codec", SnapshotCodecNames.NameOf(i.Codec));
            w.WriteString("checksum", unchecked((ulong)i.Checksum).ToString("x16", CultureInfo.InvariantCulture));
            w.WriteNumber("bytes", i.StoredBytes);
            w.WriteString("created", i.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
