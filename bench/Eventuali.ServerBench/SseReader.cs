using System.Buffers.Text;

namespace Eventuali.ServerBench;

/// <summary>
/// A server-sent events client that parses the frames: fields per line (<c>id</c>, <c>data</c>, comments), an event
/// dispatched at the blank line. Counts events, checks that ids (global positions) only grow and that each data line
/// is a JSON object, and stops after <see cref="Expected"/> events.
/// </summary>
internal sealed class SseReader(long expected)
{
    private byte[] _buffer = new byte[16 * 1024];

    public long Expected { get; } = expected;
    public long Count { get; private set; }
    public long LastId { get; private set; }
    public long FirstId { get; private set; }
    public long Bytes { get; private set; }

    /// <summary>Reads <paramref name="stream"/> until <see cref="Expected"/> events arrived; throws on a malformed frame or an early end.</summary>
    public async Task ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var filled = 0;
        long id = -1;
        var hasData = false;
        while (Count < Expected)
        {
            if (filled == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var n = await stream.ReadAsync(_buffer.AsMemory(filled), cancellationToken);
            if (n == 0)
            {
                throw new InvalidOperationException($"The event stream ended after {Count} of {Expected} events.");
            }

            Bytes += n;
            filled += n;
            var consumed = 0;
            while (Count < Expected)
            {
                var rest = _buffer.AsSpan(consumed, filled - consumed);
                var eol = rest.IndexOf((byte)'\n');
                if (eol < 0)
                {
                    break;
                }

                var line = rest[..eol];
                consumed += eol + 1;
                if (line.IsEmpty)
                {
                    if (hasData)
                    {
                        Dispatch(id);
                    }

                    id = -1;
                    hasData = false;
                }
                else if (line.StartsWith("id: "u8))
                {
                    if (!Utf8Parser.TryParse(line[4..], out id, out var used) || used != line.Length - 4)
                    {
                        throw new InvalidOperationException("An SSE id line is not a number.");
                    }
                }
                else if (line.StartsWith("data: "u8))
                {
                    var data = line[6..];
                    if (data.Length < 2 || data[0] != (byte)'{' || data[^1] != (byte)'}')
                    {
                        throw new InvalidOperationException("An SSE data line is not a JSON object.");
                    }

                    hasData = true;
                }
                else if (line[0] != (byte)':')
                {
                    throw new InvalidOperationException("An SSE line is neither id, data nor a comment.");
                }
            }

            _buffer.AsSpan(consumed, filled - consumed).CopyTo(_buffer);
            filled -= consumed;
        }
    }

    private void Dispatch(long id)
    {
        if (id <= LastId)
        {
            throw new InvalidOperationException($"Event id {id} after {LastId}: ids must grow.");
        }

        if (Count == 0)
        {
            FirstId = id;
        }

        LastId = id;
        Count++;
    }
}
