using global::Parquet;

namespace Eventuali.Parquet;

/// <summary>One partition's file of one run: rows buffered into row groups, written to a temporary name, renamed at the end.</summary>
internal sealed class PartitionWriter : IAsyncDisposable
{
    private readonly FileStream _stream;
    private readonly EventColumns _rows;
    private readonly string _temporary;
    private ParquetWriter? _writer;
    private bool _committed;

    private PartitionWriter(string target, FileStream stream, int rowGroupSize)
    {
        Target = target;
        _temporary = stream.Name;
        _stream = stream;
        _rows = new EventColumns(rowGroupSize);
    }

    public string Target { get; }

    public static PartitionWriter Create(string target, int rowGroupSize)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var stream = new FileStream(target + ".partial", FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        return new PartitionWriter(target, stream, rowGroupSize);
    }

    public async ValueTask AddAsync(RecordedEvent e, CancellationToken ct)
    {
        _rows.Add(e);
        if (_rows.IsFull)
        {
            await FlushAsync(ct).ConfigureAwait(false);
        }
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        _writer ??= await ParquetWriter.CreateAsync(EventColumns.Schema, _stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }, false, ct).ConfigureAwait(false);
        await _rows.FlushAsync(_writer, ct).ConfigureAwait(false);
    }

    /// <summary>Writes what is buffered, closes the file durably and renames it to its final name.</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        await FlushAsync(ct).ConfigureAwait(false);
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
        catch (IOException)
        {
            // The run already failed; the partial file is removed below either way.
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        File.Delete(_temporary);
    }
}
