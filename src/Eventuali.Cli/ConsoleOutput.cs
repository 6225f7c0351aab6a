using System.Text;

namespace Eventuali.Cli;

/// <summary>
/// Standard output for commands. On a terminal every line is flushed as it is written, so progress and the first rows
/// of a long query show at once; into a pipe or file lines are buffered (millions of rows stay cheap) but never held
/// longer than <see cref="PipeFlushInterval"/> once a line ends, and commands flush at the end of each section.
/// </summary>
internal sealed class ConsoleOutput(TextWriter inner, bool flushEveryLine, TimeProvider clock) : TextWriter
{
    /// <summary>Longest a finished line waits in the buffer when output is not a terminal.</summary>
    public static readonly TimeSpan PipeFlushInterval = TimeSpan.FromMilliseconds(200);

    private long _lastFlush = clock.GetTimestamp();

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        inner.Write(value);
        if (value == '\n')
        {
            LineEnded();
        }
    }

    public override void Write(string? value)
    {
        inner.Write(value);
        if (value is not null && value.Contains('\n', StringComparison.Ordinal))
        {
            LineEnded();
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        inner.Write(buffer);
        if (buffer.Contains('\n'))
        {
            LineEnded();
        }
    }

    public override void WriteLine()
    {
        inner.WriteLine();
        LineEnded();
    }

    public override void WriteLine(string? value)
    {
        inner.WriteLine(value);
        LineEnded();
    }

    // The base class would queue every async write to the thread pool; these only fill a buffer, so run them inline.
    public override Task WriteAsync(char value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync()
    {
        WriteLine();
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        inner.Write(buffer.Span);
        WriteLine();
        return Task.CompletedTask;
    }

    public override void Flush()
    {
        inner.Flush();
        _lastFlush = clock.GetTimestamp();
    }

    public override async Task FlushAsync()
    {
        await inner.FlushAsync().ConfigureAwait(false);
        _lastFlush = clock.GetTimestamp();
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        _lastFlush = clock.GetTimestamp();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void LineEnded()
    {
        if (flushEveryLine || clock.GetElapsedTime(_lastFlush) >= PipeFlushInterval)
        {
            Flush();
        }
    }
}
