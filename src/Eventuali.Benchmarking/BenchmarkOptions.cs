namespace Eventuali.Benchmarking;

/// <summary>What to run and where.</summary>
public sealed record BenchmarkOptions
{
    /// <summary>The workload to run.</summary>
    public BenchmarkWorkload Workload { get; init; } = BenchmarkWorkload.AppendBatch;

    /// <summary>How many events the timed phase writes, loads or reads.</summary>
    public int Events { get; init; } = 10_000;

    /// <summary>Events per append for append-batch, and events per stream for every workload (default 50).</summary>
    public int BatchSize { get; init; } = 50;

    /// <summary>Writers for append-concurrent (default 32).</summary>
    public int Concurrency { get; init; } = 32;

    /// <summary>Subscribers fed at once by the stream workload (default 1).</summary>
    public int Subscribers { get; init; } = 1;

    /// <summary>Durability the store is opened with (SQLite: Full = synchronous=FULL, Relaxed = NORMAL).</summary>
    public Durability Durability { get; init; } = Durability.Full;

    /// <summary>
    /// The store to run on. Null: a fresh SQLite file in the temp directory, deleted afterwards.
    /// A given store keeps the benchmark's events; they go to fresh stream ids, never touching existing streams.
    /// </summary>
    public string? DatabaseUrl { get; init; }

    /// <summary>
    /// load-aggregate only: snapshot each stream every this many events during the untimed setup, the newest
    /// snapshot this many events behind the head (the most a policy of every N leaves). Null: no snapshots.
    /// </summary>
    public int? SnapshotEvery { get; init; }

    /// <summary>Compression of the benchmark's snapshots.</summary>
    public Snapshots.SnapshotCodec SnapshotCodec { get; init; } = Snapshots.SnapshotCodec.Lz4;

    /// <summary>
    /// append-batch and load-aggregate: encrypt this many fields of each event (0 to 5) for one of
    /// <see cref="EncryptionSubjects"/> data subjects, through field encryption with a temporary key file. 0: none.
    /// </summary>
    public int EncryptFields { get; init; }

    /// <summary>The number of data subjects the events of an encrypting run belong to.</summary>
    public const int EncryptionSubjects = 10_000;

    /// <summary>Phase messages ("writing setup data", ...), for a progress display.</summary>
    public IProgress<string>? Progress { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (Events < 1)
        {
            throw new ArgumentException($"The number of events must be at least 1; got {Events}.", nameof(Events));
        }

        if (BatchSize < 1)
        {
            throw new ArgumentException($"The batch size must be at least 1; got {BatchSize}.", nameof(BatchSize));
        }

        if (Concurrency < 1)
        {
            throw new ArgumentException($"The concurrency must be at least 1; got {Concurrency}.", nameof(Concurrency));
        }

        if (Subscribers < 1)
        {
            throw new ArgumentException($"The number of subscribers must be at least 1; got {Subscribers}.", nameof(Subscribers));
        }

        if (!Enum.IsDefined(Workload))
        {
            throw new ArgumentException($"Unknown workload {Workload}.", nameof(Workload));
        }

        if (EncryptFields is < 0 or > 5)
        {
            throw new ArgumentException($"The number of encrypted fields must be 0 to 5; got {EncryptFields}.", nameof(EncryptFields));
        }

        if (EncryptFields > 0 && Workload is not (BenchmarkWorkload.AppendBatch or BenchmarkWorkload.LoadAggregate))
        {
            throw new ArgumentException("Encrypted fields are measured on append-batch and load-aggregate only.", nameof(EncryptFields));
        }

        BenchmarkSnapshots.Validate(this);
    }
}
