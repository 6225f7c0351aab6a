using System.CommandLine;
using Eventuali.Snapshots;

namespace Eventuali.Cli.Commands;

/// <summary>The snapshot options of <c>eventuali benchmark</c> (load-aggregate only).</summary>
internal static class BenchmarkSnapshotOptions
{
    public static (Option<int?> Every, Option<string> Codec) Create()
    {
        var every = NumberOptions.NullableInt("--snapshot-every", null, 1, int.MaxValue);
        every.Description = "load-aggregate: snapshot each stream every N events in the untimed setup (the newest N events behind the head). Default: no snapshots.";
        every.HelpName = "N";
        var codec = new Option<string>("--snapshot-codec") { Description = "Compression of those snapshots: none, lz4 or zstd.", DefaultValueFactory = _ => "lz4" };
        codec.AcceptOnlyFromAmong("none", "lz4", "zstd");
        return (every, codec);
    }

    public static SnapshotCodec Codec(string? name) => SnapshotCodecNames.Parse(name);
}
