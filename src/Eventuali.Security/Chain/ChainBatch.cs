using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Eventuali.Integrity;

namespace Eventuali.Security.Chain;

/// <summary>
/// A run of a verification walk handed from the thread that reads (and encodes) to the one that hashes: each
/// check's bytes (the previous entry's stored chain hash followed by the event's canonical encoding, contiguous in
/// one buffer) with the stored hash to compare, and the findings the walk made between checks, so findings still
/// come out in position order. Big on purpose: few hand-offs between threads.
/// </summary>
internal sealed class ChainBatch
{
    public const int Capacity = 8192;
    private readonly int[] _starts = new int[Capacity];
    private readonly int[] _ends = new int[Capacity];
    private readonly int[] _encodingStarts = new int[Capacity];
    private readonly long[] _positions = new long[Capacity];
    private readonly byte[] _expected = new byte[Capacity * EventChainEntry.HashLength];
    private readonly bool[] _expectedWellFormed = new bool[Capacity];
    private readonly List<(int BeforeCheck, long Position, EventChainFindingKind Kind, string Message)> _findings = [];
    private byte[] _buffer = new byte[Capacity * 320];
    private int _used;

    /// <summary>The checks held.</summary>
    public int Count { get; private set; }

    /// <summary>The walk's count of checked events when the batch was handed over (for progress).</summary>
    public long EventsChecked { get; set; }

    public bool IsEmpty => Count == 0 && _findings.Count == 0;

    /// <summary>
    /// Adds the check of <paramref name="row"/> (an event with its entry) chained on <paramref name="previous"/>;
    /// false, adding nothing, when the batch is full.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryAdd(in EventChainRow row, ReadOnlySpan<byte> previous, List<KeyValuePair<string, string>> headers)
    {
        var max = previous.Length + EventChainEncoding.MaxLength(row, headers);
        if (Count == Capacity || (_used + max > _buffer.Length && Count > 0))
        {
            return false;
        }

        if (_used + max > _buffer.Length)
        {
            _buffer = new byte[max];
        }

        var start = _used;
        previous.CopyTo(_buffer.AsSpan(start));
        var length = previous.Length + EventChainEncoding.Write(row, headers, _buffer.AsSpan(start + previous.Length));
        _starts[Count] = start;
        _ends[Count] = start + length;
        _encodingStarts[Count] = start + previous.Length;
        _positions[Count] = row.Position;

        // A stored hash of another length (an edited entry) can never match.
        var wellFormed = row.EntryHash.Length == EventChainEntry.HashLength;
        _expectedWellFormed[Count] = wellFormed;
        if (wellFormed)
        {
            row.EntryHash.CopyTo(_expected.AsSpan(Count * EventChainEntry.HashLength));
        }

        _used = start + length;
        Count++;
        return true;
    }

    /// <summary>A finding the walk made after the checks added so far.</summary>
    public void AddFinding(long position, EventChainFindingKind kind, string message) => _findings.Add((Count, position, kind, message));

    /// <summary>Hashes every check, adding its mismatches and the walk's findings to <paramref name="findings"/> in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Check(ChainFindings findings, IncrementalHash sha256)
    {
        Span<byte> computed = stackalloc byte[EventChainEntry.HashLength];
        var next = 0;
        for (var i = 0; i < Count; i++)
        {
            for (; next < _findings.Count && _findings[next].BeforeCheck <= i; next++)
            {
                var f = _findings[next];
                findings.Add(f.Position, f.Kind, f.Message);
            }

            sha256.AppendData(_buffer, _starts[i], _ends[i] - _starts[i]);
            sha256.GetHashAndReset(computed);
            if (!_expectedWellFormed[i] || !computed.SequenceEqual(_expected.AsSpan(i * EventChainEntry.HashLength, EventChainEntry.HashLength)))
            {
                var (stream, version, eventId) = EventChainEncoding.Describe(_buffer.AsSpan(_encodingStarts[i], _ends[i] - _encodingStarts[i]));
                findings.Add(_positions[i], EventChainFindingKind.ChainMismatch, ChainFindings.Mismatch(_positions[i], eventId, stream, version));
            }
        }

        for (; next < _findings.Count; next++)
        {
            var f = _findings[next];
            findings.Add(f.Position, f.Kind, f.Message);
        }
    }

    public void Clear()
    {
        Count = 0;
        _used = 0;
        _findings.Clear();
    }
}
