using Eventuali.Snapshots;

namespace Eventuali.Benchmarking;

/// <summary>The snapshot settings of the load-aggregate workload.</summary>
internal static class BenchmarkSnapshots
{
    public static void Validate(BenchmarkOptions options)
    {
        if (options.SnapshotEvery is not { } every)
        {
            return;
        }

        if (every < 1)
        {
            throw new ArgumentException($"The snapshot interval must be at least 1 event; got {every}.", nameof(options));
        }

        if (options.Workload != BenchmarkWorkload.LoadAggregate)
        {
            throw new ArgumentException($"Snapshots apply to the load-aggregate workload only, not {BenchmarkWorkloads.NameOf(options.Workload)}.", nameof(options));
        }

        if (!Enum.IsDefined(options.SnapshotCodec))
        {
            throw new ArgumentException($"Unknown snapshot codec {options.SnapshotCodec}.", nameof(options));
        }
    }

    public static string Describe(BenchmarkOptions options) => options.SnapshotEvery is { } every
        ? $", a {options.SnapshotCodec} snapshot every {every} events, the newest {every} behind the head"
        : ", no snapshots";
}
