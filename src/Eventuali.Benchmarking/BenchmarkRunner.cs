using System.Diagnostics;
using Eventuali.Typed;

namespace Eventuali.Benchmarking;

/// <summary>
/// Runs one benchmark workload against a real store and measures it: wall-clock time of the timed
/// phase, per-operation latency percentiles and the peak resident memory of that phase.
/// </summary>
public static class BenchmarkRunner
{
    /// <summary>Runs the benchmark described by <paramref name="options"/> against a fresh store and returns what it measured.</summary>
    public static async Task<BenchmarkResult> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Workload == BenchmarkWorkload.Stream)
        {
            return await StreamWorkload.RunAsync(options, cancellationToken).ConfigureAwait(false);
        }

        var tempFile = options.DatabaseUrl is null ? Path.Combine(Path.GetTempPath(), $"eventuali-bench-{Guid.NewGuid():N}.db") : null;
        var url = options.DatabaseUrl ?? "sqlite://" + tempFile;
        try
        {
            var types = new EventTypeRegistry().Register<BenchmarkDeposited>()
                .Register<BenchSagaStarted>().Register<BenchSagaStep>().Register<BenchSagaEffect>();
            var storeOptions = new EventStoreOptions { Durability = options.Durability, Types = types };
            var store = await EventStore.CreateAsync(url, storeOptions, cancellationToken).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                if (options.EncryptFields == 0)
                {
                    return await RunOnAsync(store, url, tempFile is not null, options, cancellationToken).ConfigureAwait(false);
                }

                using var keys = new BenchmarkKeys();
                return await RunOnAsync(keys.Encrypt(store).Store, url, tempFile is not null, options, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (tempFile is not null)
            {
                DeleteSqliteFiles(tempFile);
            }
        }
    }

    /// <summary>The backend name of a store URL: sqlite, memory or postgresql.</summary>
    public static string BackendOf(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var separator = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = separator > 0 ? url[..separator].ToLowerInvariant() : url;
        return scheme == "postgres" ? "postgresql" : scheme;
    }

    private static async Task<BenchmarkResult> RunOnAsync(IEventStore store, string url, bool temporary, BenchmarkOptions options, CancellationToken ct)
    {
        var session = new BenchmarkSession(store, options);
        var head = await store.GetHeadPositionAsync(ct).ConfigureAwait(false);
        var database = temporary
            ? $"fresh temporary SQLite file (deleted afterwards), durability {options.Durability}"
            : BackendOf(url) == "memory"
                ? "in-memory store (discarded afterwards)"
            : head == 0
                ? $"{EventStore.RedactUrl(url)}: empty store; benchmark streams use prefix '{session.StreamPrefix}' and stay in the store"
                : $"{EventStore.RedactUrl(url)}: not empty (head position {head}); existing events untouched, benchmark streams use fresh ids with prefix '{session.StreamPrefix}'";

        if (options.EncryptFields > 0)
        {
            database += $"; {options.EncryptFields} field(s) of each event encrypted for {BenchmarkOptions.EncryptionSubjects} data subjects";
        }

        var workload = options.Workload;
        if (workload == BenchmarkWorkload.Subscribe)
        {
            return await SubscribeWorkload.RunAsync(store, session, options, head, BackendOf(url), database, ct).ConfigureAwait(false);
        }

        if (workload == BenchmarkWorkload.Saga)
        {
            return await SagaWorkload.RunAsync(store, session, options, head, BackendOf(url), database, ct).ConfigureAwait(false);
        }

        var latency = new LatencyRecorder(options.Events);
        string unit;
        long fromPosition = head + 1;
        if (workload is BenchmarkWorkload.LoadAggregate or BenchmarkWorkload.ReadAll)
        {
            options.Progress?.Report($"setup: writing {options.Events} events (untimed)");
            await session.WriteSetupAsync(ct).ConfigureAwait(false);
            await session.WriteSnapshotsAsync(ct).ConfigureAwait(false);
            options.Progress?.Report("warm-up: reading the first 5% once (untimed)");
            await session.WarmUpReadsAsync(workload, fromPosition, ct).ConfigureAwait(false);
        }
        else
        {
            options.Progress?.Report("warm-up: a few untimed appends to separate streams");
            await session.WarmUpAsync(ct).ConfigureAwait(false);
            if (options.EncryptFields > 0)
            {
                options.Progress?.Report($"warm-up: one untimed event for each of {BenchmarkOptions.EncryptionSubjects} data subjects (makes their keys)");
                await session.WarmUpSubjectsAsync(ct).ConfigureAwait(false);
            }
        }

        options.Progress?.Report($"running {BenchmarkWorkloads.NameOf(workload)} ({options.Events} events)");
        var memory = new PeakMemory();
        memory.Reset();
        var started = Stopwatch.GetTimestamp();
        long done = options.Events;
        switch (workload)
        {
            case BenchmarkWorkload.AppendBatch:
                unit = $"append call ({options.BatchSize} events)";
                await session.AppendBatchAsync(latency, ct).ConfigureAwait(false);
                break;
            case BenchmarkWorkload.AppendSingle:
                unit = "append call (1 event)";
                await session.AppendSingleAsync(latency, ct).ConfigureAwait(false);
                break;
            case BenchmarkWorkload.AppendConcurrent:
                unit = $"append call (1 event, {Math.Min(options.Concurrency, options.Events)} concurrent writers)";
                await session.AppendConcurrentAsync(latency, ct).ConfigureAwait(false);
                break;
            case BenchmarkWorkload.LoadAggregate:
                unit = $"aggregate load ({options.BatchSize}-event streams{BenchmarkSnapshots.Describe(options)})";
                done = await session.LoadAggregatesAsync(latency, ct).ConfigureAwait(false);
                break;
            default:
                unit = $"batch of {BenchmarkSession.ReadSampleSize} events consumed from one ReadAllAsync";
                done = await session.ReadAllAsync(fromPosition, latency, ct).ConfigureAwait(false);
                break;
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var (peakBytes, peakSource) = memory.Read();
        if (done != options.Events)
        {
            throw new InvalidOperationException($"The {BenchmarkWorkloads.NameOf(workload)} run handled {done} events, expected {options.Events}; the store returned less than was written.");
        }

        var sorted = latency.ToSortedArray();
        return new BenchmarkResult(
            BenchmarkWorkloads.NameOf(workload),
            BackendOf(url),
            done,
            seconds,
            done / seconds,
            LatencyRecorder.PercentileMilliseconds(sorted, 50),
            LatencyRecorder.PercentileMilliseconds(sorted, 99),
            LatencyRecorder.MeanMilliseconds(sorted),
            peakBytes / (1024.0 * 1024.0),
            peakSource,
            unit,
            sorted.Length,
            session.AveragePayloadBytes,
            database);
    }

    private static void DeleteSqliteFiles(string path)
    {
        foreach (var suffix in (string[])["", "-wal", "-shm", "-journal"])
        {
            try
            {
                File.Delete(path + suffix);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort: a leftover temp file is harmless and the result is already measured.
            }
        }
    }
}
