using System.Runtime.CompilerServices;
using Eventuali.Lifecycle;

namespace Eventuali.InMemory;

/// <summary>
/// Stream lifecycle in memory, with the same semantics as the SQL stores: removed events leave the global
/// log (their slots become null) and the event-id index; a stream's list keeps its slots so versions index it.
/// </summary>
public sealed partial class InMemoryEventStore : IStreamLifecycle
{
    private readonly Dictionary<string, LifeState> _life = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<bool> DeleteStreamAsync(string streamId, DeleteMode mode = DeleteMode.Soft, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var state = _life.GetValueOrDefault(streamId);
            var exists = _streams.ContainsKey(streamId);
            if (state?.Status == StreamStatus.Tombstoned)
            {
                return ValueTask.FromResult(false);
            }

            if (mode == DeleteMode.Soft)
            {
                if (!exists || state?.Status == StreamStatus.SoftDeleted)
                {
                    return ValueTask.FromResult(false);
                }

                Life(streamId).Status = StreamStatus.SoftDeleted;
                return ValueTask.FromResult(true);
            }

            if (exists)
            {
                foreach (var e in _streams[streamId])
                {
                    Remove(e);
                    MarkChainRemoved(e.Position);
                }

                _streams.Remove(streamId);
            }

            foreach (var e in state?.Archive ?? [])
            {
                _byEventId.Remove(e.EventId);
                MarkChainRemoved(e.Position);
            }

            _life.Remove(streamId);
            if (mode == DeleteMode.Tombstone)
            {
                Life(streamId).Status = StreamStatus.Tombstoned;
            }

            return ValueTask.FromResult(exists || mode == DeleteMode.Tombstone);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RestoreStreamAsync(string streamId, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var state = _life.GetValueOrDefault(streamId);
            if (state?.Status == StreamStatus.Tombstoned)
            {
                throw new StreamDeletedException(streamId, isTombstoned: true);
            }

            if (state?.Status != StreamStatus.SoftDeleted)
            {
                return ValueTask.FromResult(false);
            }

            state.Status = StreamStatus.Live;
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<long> TruncateStreamAsync(string streamId, long beforeVersion, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Cut(streamId, beforeVersion, archive: false, cancellationToken));

    /// <inheritdoc />
    public ValueTask<long> ArchiveStreamAsync(string streamId, long beforeVersion = long.MaxValue, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Cut(streamId, beforeVersion, archive: true, cancellationToken));

    /// <inheritdoc />
    public async IAsyncEnumerable<RecordedEvent> ReadArchivedStreamAsync(string streamId, long fromVersion = StreamVersion.Start, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        await Task.CompletedTask.ConfigureAwait(false);
        RecordedEvent[] selected;
        lock (_gate)
        {
            var state = _life.GetValueOrDefault(streamId);
            if (state is null || state.Status != StreamStatus.Live)
            {
                yield break;
            }

            var forward = direction == ReadDirection.Forward;
            var matching = state.Archive.Where(e => forward ? e.StreamVersion >= fromVersion : e.StreamVersion <= fromVersion);
            selected = [.. (forward ? matching : matching.Reverse()).Take(maxCount)];
        }

        foreach (var e in selected)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return e;
        }
    }

    /// <inheritdoc />
    public ValueTask<StreamInfo> GetStreamInfoAsync(string streamId, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        lock (_gate)
        {
            var state = _life.GetValueOrDefault(streamId);
            long? version = _streams.TryGetValue(streamId, out var s) && s.Count > 0 ? s.Count : null;
            var status = state?.Status ?? (version is null ? StreamStatus.None : StreamStatus.Live);
            return ValueTask.FromResult(new StreamInfo(streamId, status, version, (state?.Floor ?? 0) + 1));
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListStreamsAsync(string? prefix = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        string[] names;
        lock (_gate)
        {
            names = [.. _streams.Keys.Where(n => (prefix is null || n.StartsWith(prefix, StringComparison.Ordinal)) && !IsHidden(n)).Order(StringComparer.Ordinal)];
        }

        foreach (var n in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return n;
        }
    }

    private long Cut(string streamId, long beforeVersion, bool archive, CancellationToken cancellationToken)
    {
        AppendValidation.ValidateStreamId(streamId);
        ArgumentOutOfRangeException.ThrowIfLessThan(beforeVersion, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ThrowIfDeleted(streamId);
            if (!_streams.TryGetValue(streamId, out var stream))
            {
                return 0;
            }

            var state = Life(streamId);
            var until = Math.Min(beforeVersion - 1, stream.Count);
            long moved = 0;
            for (var v = state.Floor + 1; v <= until; v++)
            {
                var e = stream[(int)v - 1];
                Remove(e);
                if (archive)
                {
                    state.Archive.Add(e);
                }
                else
                {
                    MarkChainRemoved(e.Position);
                }

                moved++;
            }

            state.Floor = Math.Max(state.Floor, until);
            return moved;
        }
    }

    private void Remove(RecordedEvent e)
    {
        _log[(int)e.Position - 1] = null;
        _byEventId.Remove(e.EventId);
    }

    private LifeState Life(string streamId)
    {
        if (!_life.TryGetValue(streamId, out var state))
        {
            _life[streamId] = state = new LifeState();
        }

        return state;
    }

    /// <summary>Under the gate.</summary>
    private void ThrowIfDeleted(string streamId)
    {
        if (_life.TryGetValue(streamId, out var state) && state.Status != StreamStatus.Live)
        {
            throw new StreamDeletedException(streamId, state.Status == StreamStatus.Tombstoned);
        }
    }

    private bool IsHidden(string streamId) => _life.TryGetValue(streamId, out var state) && state.Status != StreamStatus.Live;

    private long FloorOf(string streamId) => _life.TryGetValue(streamId, out var state) ? state.Floor : 0;

    private sealed class LifeState
    {
        public StreamStatus Status { get; set; } = StreamStatus.Live;

        /// <summary>Highest version truncated or archived (0: none).</summary>
        public long Floor { get; set; }

        public List<RecordedEvent> Archive { get; } = [];
    }
}
