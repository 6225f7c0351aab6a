using global::Parquet;

namespace Eventuali.Parquet;

/// <summary>
/// One partition's file of one run: rows are collected here and written as row groups by the pipeline's writing task,
/// into a temporary file renamed to its final name at the end.
/// </summary>
internal sealed class PartitionWriter : IAsyncDisposable
{
    private readonly FileStream _stream;
    private readonly string _temporary;
    private readonly RowGroupPipeline _pipeline;
    private EventColumns _rows;
    private ParquetWriter? _writer;
    private bool _committed;

    private PartitionWriter(string target, FileStream stream, RowGroupPipeline pipeline)
    {
        Target = target;
        _temporary = stream.Name;
        _stream = stream;
        _pipeline = pipeline;
        _rows = pipeline.Rent();
    }

    public string Target { get; }

    public static PartitionWriter Create(string target, RowGroupPipeline pipeline)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var stream = new FileStream(target + ".partial", FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        return new PartitionWriter(target, stream, pipeline);
    }

    /// <summary>Reading side: adds an event; a full row group goes to the writing task.</summary>
    public async ValueTask AddAsync(RecordedEvent e, CancellationToken ct)
    {
        _rows.Add(e);
        if (_rows.IsFull)
        {
            await SubmitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Reading side, at the end of the read: hands over the last, partly filled row group.</summary>
    public async ValueTask SubmitAsync(CancellationToken ct)
    {
        if (_rows.Count > 0)
        {
            await _pipeline.SubmitAsync(this, _rows, ct).ConfigureAwait(false);
            _rows = _pipeline.Rent();
        }
    }

    // Dictionary encoding only where values repeat a lot (stream ids, types, metadata), decided on a sample of each
    // column: Parquet.Net's defaults (threshold 0.8, no sampling) scan every unique payload and event id for a
    // dictionary it then drops, several times the cost of writing them plain (measured: payloads 131 instead of
    // 856 ns per value, stream ids 71 instead of 214).
    private static readonly ParquetOptions Options = new() { CompressionMethod = CompressionMethod.Snappy, DictionaryEncodingThreshold = 0.2, DictionaryEncodingSampleSize = 10_000 };

    /// <summary>Writing task: encodes one row group into the file.</summary>
    public async Task WriteRowGroupAsync(EventColumns rows, CancellationToken ct)
    {
        _writer ??= await ParquetWriter.CreateAsync(EventColumns.Schema, new SynchronousFileStream(_stream), Options, false, ct).ConfigureAwait(false);
        await rows.FlushAsync(_writer, ct).ConfigureAwait(false);
    }

    /// <summary>After the pipeline completed: closes the file durably and renames it to its final name.</summary>
    public async Task CommitAsync()
    {
        await _writer!.DisposeAsync().ConfigureAwait(false);
        _writer = null;
        _stream.Flush(flushToDisk: true);
        await _stream.DisposeAsync().ConfigureAwait(false);
        File.Move(_temporary, Target, overwrite: true);
        _committed = true;
    }

    /// <summary>Without a commit (a failure or cancellation) the temporary file goes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_committed)
        {
            return;
        }

        try
        {
            if (_writer is not null)
            {
                await _writer.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            // The run already failed; the partial file is removed below either way.
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        File.Delete(_temporary);
    }
}
