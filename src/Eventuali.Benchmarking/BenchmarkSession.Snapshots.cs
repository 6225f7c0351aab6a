using Eventuali.Snapshots;

namespace Eventuali.Benchmarking;

/// <summary>Untimed setup of snapshots for the load-aggregate workload.</summary>
internal sealed partial class BenchmarkSession
{
    /// <summary>
    /// Snapshots every stream at each multiple of <see cref="BenchmarkOptions.SnapshotEvery"/> below its length, so
    /// each timed load reads the newest snapshot and replays the last N events (the worst case of a policy of every N).
    /// Each snapshot is built by loading the aggregate as of its version, itself from the previous snapshot.
    /// </summary>
    public async Task WriteSnapshotsAsync(CancellationToken ct)
    {
        if (options.SnapshotEvery is not { } every || options.Workload != BenchmarkWorkload.LoadAggregate)
        {
            return;
        }

        var taken = 0;
        SnapshotInfo? newest = null;
        for (var s = 0; s < StreamCount; s++)
        {
            var length = Math.Min(options.BatchSize, options.Events - (s * options.BatchSize));
            var id = AggregateId("b", s);
            for (long version = every; version < length; version += every)
            {
                var account = await store.LoadAsOfAsync<SnapshottedBenchmarkAccount>(id, AsOf.Version(version), ct).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Benchmark stream for aggregate '{id}' is missing after setup.");
                newest = await store.TakeSnapshotAsync(account, options.SnapshotCodec, ct).ConfigureAwait(false);
                taken++;
            }
        }

        options.Progress?.Report(newest is null
            ? $"setup: no snapshots (streams of {options.BatchSize} events are not longer than the interval {every})"
            : $"setup: {taken} snapshots ({options.SnapshotCodec}, the last one {newest.StoredBytes} bytes stored) (untimed)");
    }
}
