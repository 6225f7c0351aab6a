namespace Eventuali.Benchmarking;

/// <summary>What a benchmark run measures.</summary>
public enum BenchmarkWorkload
{
    /// <summary>One writer; each append stores a whole stream of <see cref="BenchmarkOptions.BatchSize"/> events.</summary>
    AppendBatch = 0,

    /// <summary>One writer; one event per append (streams of <see cref="BenchmarkOptions.BatchSize"/> events, exact expected versions).</summary>
    AppendSingle = 1,

    /// <summary><see cref="BenchmarkOptions.Concurrency"/> writers, one event per append, each writer on its own streams.</summary>
    AppendConcurrent = 2,

    /// <summary>Untimed setup writes streams of <see cref="BenchmarkOptions.BatchSize"/> events; the timed phase loads each into a typed aggregate.</summary>
    LoadAggregate = 3,

    /// <summary>Untimed setup writes the events in batches; the timed phase reads them back with one global-log read.</summary>
    ReadAll = 4,

    /// <summary>Catch-up of a handler subscription over the events written in setup, then live: one writer appends, the handler receives.</summary>
    Subscribe = 5,

    /// <summary>In-process fan-out through the EventStreamer to <see cref="BenchmarkOptions.Subscribers"/> subscribers; no store.</summary>
    Stream = 6,

    /// <summary>Untimed setup appends 4 steps for each of Events / 4 saga instances; the timed phase runs a saga runner over them (each step: state saved, one event appended).</summary>
    Saga = 7,
}

/// <summary>The command-line names of <see cref="BenchmarkWorkload"/> values.</summary>
public static class BenchmarkWorkloads
{
    private static readonly (string Name, BenchmarkWorkload Workload)[] Names =
    [
        ("append-batch", BenchmarkWorkload.AppendBatch),
        ("append-single", BenchmarkWorkload.AppendSingle),
        ("append-concurrent", BenchmarkWorkload.AppendConcurrent),
        ("load-aggregate", BenchmarkWorkload.LoadAggregate),
        ("read-all", BenchmarkWorkload.ReadAll),
        ("subscribe", BenchmarkWorkload.Subscribe),
        ("stream", BenchmarkWorkload.Stream),
        ("saga", BenchmarkWorkload.Saga),
    ];

    /// <summary>Every workload name, in the order above.</summary>
    public static IReadOnlyList<string> All { get; } = Array.ConvertAll(Names, n => n.Name);

    /// <summary>The command-line name of a workload.</summary>
    public static string NameOf(BenchmarkWorkload workload)
    {
        foreach (var (name, w) in Names)
        {
            if (w == workload)
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(workload), workload, "Unknown workload.");
    }

    /// <summary>Reads a workload from its command-line name; false when the name is unknown.</summary>
    public static bool TryParse(string? name, out BenchmarkWorkload workload)
    {
        foreach (var (n, w) in Names)
        {
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
            {
                workload = w;
                return true;
            }
        }

        workload = default;
        return false;
    }
}
