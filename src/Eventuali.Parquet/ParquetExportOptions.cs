namespace Eventuali.Parquet;

/// <summary>Where and what <see cref="ParquetExport"/> writes.</summary>
public sealed record ParquetExportOptions
{
    /// <summary>Creates options writing under <paramref name="outputDirectory"/> (created when missing).</summary>
    public ParquetExportOptions(string outputDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        OutputDirectory = outputDirectory;
    }

    /// <summary>The root of the partitioned data set: files go to <c>date=YYYY-MM-DD/category=C/</c> under it.</summary>
    public string OutputDirectory { get; }

    /// <summary>Only streams whose id starts with this prefix (null: every stream).</summary>
    public string? StreamIdPrefix { get; init; }

    /// <summary>
    /// The checkpoint file recording the last exported position, so the next run exports only newer events.
    /// Default: <c>_eventuali_checkpoint.json</c> in <see cref="OutputDirectory"/> (a leading '_' makes Spark and
    /// DuckDB globs over <c>*.parquet</c> skip it).
    /// </summary>
    public string? CheckpointFile { get; init; }

    /// <summary>The first position to export when no checkpoint exists yet (default 1).</summary>
    public long FromPosition { get; init; } = 1;

    /// <summary>Rows buffered per partition before they are written as one row group (default 100,000).</summary>
    public int RowGroupSize { get; init; } = 100_000;

    /// <summary>The checkpoint file in use: <see cref="CheckpointFile"/> or the default beside the data.</summary>
    public string ResolvedCheckpointFile => CheckpointFile ?? Path.Combine(OutputDirectory, "_eventuali_checkpoint.json");
}

/// <summary>What one export run wrote.</summary>
/// <param name="Events">Events written.</param>
/// <param name="FromPosition">The first position the run read from.</param>
/// <param name="ToPosition">The head position the run exported up to (the checkpoint now holds it).</param>
/// <param name="Files">The files written, full paths, ordinal order.</param>
public sealed record ParquetExportResult(long Events, long FromPosition, long ToPosition, IReadOnlyList<string> Files);
