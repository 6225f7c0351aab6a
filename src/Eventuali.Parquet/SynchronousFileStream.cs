namespace Eventuali.Parquet;

/// <summary>
/// The partition file as Parquet.Net sees it: its asynchronous writes are done synchronously on the calling thread.
/// A <see cref="FileStream"/> opened for synchronous I/O runs every write larger than its buffer (each column chunk)
/// as a thread-pool work item and resumes the writer there: the writing task then hops threads per column and idle
/// workers spin waiting for the next hop, CPU the reading side needs on a small machine (measured: about a core-second
/// per million exported events). The file is on local disk and written in large blocks, so blocking is short.
/// Parquet.Net leaves the file open; <see cref="PartitionWriter"/> flushes it to disk and closes it.
/// </summary>
internal sealed class SynchronousFileStream(FileStream inner) : Stream
{
    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        inner.Flush();
        return Task.CompletedTask;
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void SetLength(long value) => inner.SetLength(value);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        inner.Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        inner.Write(buffer.Span);
        return ValueTask.CompletedTask;
    }
}
