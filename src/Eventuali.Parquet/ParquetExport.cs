using Eventuali.Statistics;
using System.Globalization;

namespace Eventuali.Parquet;

/// <summary>
/// Exports the global log to Parquet files partitioned by UTC date and stream category
/// (<c>date=YYYY-MM-DD/category=C/part-P.parquet</c>), incrementally: each run starts after the position in its
/// checkpoint file and ends at the head position seen when it started, so a nightly job writes only what is new and
/// never the same event twice. Only reads the store.
/// </summary>
public static class ParquetExport
{
    /// <summary>Exports the events after the checkpoint up to the current head; returns what was written.</summary>
    /// <exception cref="ParquetExportException">The output directory or checkpoint cannot be used; nothing was exported.</exception>
    public static async Task<ParquetExportResult> ExportAsync(IEventStore store, ParquetExportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RowGroupSize, 1, nameof(options.RowGroupSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.FromPosition, 1, nameof(options.FromPosition));
        var root = Path.GetFullPath(options.OutputDirectory);
        EnsureWritable(root);
        var checkpoint = Path.GetFullPath(options.ResolvedCheckpointFile);
        var from = Math.Max(options.FromPosition, ExportCheckpointFile.Read(checkpoint) + 1);
        var head = await store.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
        if (head < from)
        {
            return new ParquetExportResult(0, from, from - 1, []);
        }

        // The run's first position names every file it writes: a run redone after a crash rewrites the same names.
        var fileName = string.Create(CultureInfo.InvariantCulture, $"part-{from:D19}.parquet");
        var filter = options.StreamIdPrefix is { Length: > 0 } prefix ? EventFilter.ForCategory(prefix) : null;
        var writers = new Dictionary<(DateOnly, string), PartitionWriter>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var pipeline = new RowGroupPipeline(options.RowGroupSize, stop.Token);
        long events = 0;
        try
        {
            (DateOnly Date, string Category) last = default;
            PartitionWriter? current = null;
            await foreach (var batch in ReadAhead.BatchesAsync(store.ReadAllAsync(from, int.MaxValue, filter, cancellationToken), head, cancellationToken).ConfigureAwait(false))
            {
                foreach (var e in batch)
                {
                    var key = (DateOnly.FromDateTime(e.Timestamp.UtcDateTime), StreamCategories.Of(e.StreamId));
                    if (current is null || key != last)
                    {
                        if (!writers.TryGetValue(key, out current))
                        {
                            current = Open(root, key, fileName, pipeline);
                            writers.Add(key, current);
                        }

                        last = key;
                    }

                    await current.AddAsync(e, cancellationToken).ConfigureAwait(false);
                }

                events += batch.Count;
            }

            foreach (var writer in writers.Values)
            {
                await writer.SubmitAsync(cancellationToken).ConfigureAwait(false);
            }

            await pipeline.CompleteAsync().ConfigureAwait(false);
            foreach (var writer in writers.Values)
            {
                await writer.CommitAsync().ConfigureAwait(false);
            }

            ExportCheckpointFile.Write(checkpoint, head, store.Options.TimeProvider.GetUtcNow());
            return new ParquetExportResult(events, from, head, [.. writers.Values.Select(w => w.Target).Order(StringComparer.Ordinal)]);
        }
        finally
        {
            // On failure: stop the writing task and let it finish before its files are deleted.
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await pipeline.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                // Already reported by the export's own exception, or a consequence of cancelling the writer.
            }

            foreach (var writer in writers.Values)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static PartitionWriter Open(string root, (DateOnly Date, string Category) key, string fileName, RowGroupPipeline pipeline)
    {
        var path = Path.Combine(root, PartitionPath.Of(key.Date, key.Category), fileName);
        try
        {
            return PartitionWriter.Create(path, pipeline);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ParquetExportException($"Parquet export target '{root}' cannot be written ({path}): {ex.Message}", ex);
        }
    }

    /// <summary>Fails before anything is read when the target is a file or cannot take a new file.</summary>
    private static void EnsureWritable(string root)
    {
        if (File.Exists(root))
        {
            throw new ParquetExportException($"Parquet export target '{root}' is a file; give a directory (the data set's root).");
        }

        try
        {
            Directory.CreateDirectory(root);
            var probe = Path.Combine(root, "_eventuali_probe_" + Guid.NewGuid().ToString("N"));
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ParquetExportException($"Parquet export target '{root}' is not a writable directory: {ex.Message}", ex);
        }
    }
}
