using System.Runtime.CompilerServices;
using Eventuali.Snapshots;

namespace Eventuali.InMemory;

/// <summary>Snapshots kept in memory next to the events, and time-travel lookups over the stream lists.</summary>
public sealed partial class InMemoryEventStore : ISnapshotStore, IStreamTimeline
{
    // Per stream, ordered by version; guarded by _gate like the events.
    private readonly Dictionary<string, SortedList<long, StoredSnapshot>> _snapshots = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask WriteSnapshotAsync(StoredSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        SnapshotValidation.Validate(snapshot);
        cancellationToken.ThrowIfCancellationRequested();
        var copy = snapshot with { Data = snapshot.Data.ToArray() };
        lock (_gate)
        {
            if (!_snapshots.TryGetValue(snapshot.StreamId, out var list))
            {
                _snapshots[snapshot.StreamId] = list = [];
            }

            list[snapshot.Version] = copy;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<StoredSnapshot?> ReadSnapshotAsync(string streamId, long maxVersion = long.MaxValue, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        lock (_gate)
        {
            if (_snapshots.TryGetValue(streamId, out var list))
            {
                for (var i = list.Count - 1; i >= 0; i--)
                {
                    if (list.Keys[i] <= maxVersion)
                    {
                        return ValueTask.FromResult<StoredSnapshot?>(list.Values[i]);
                    }
                }
            }

            return ValueTask.FromResult<StoredSnapshot?>(null);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SnapshotInfo> ListSnapshotsAsync(string streamId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        await Task.CompletedTask.ConfigureAwait(false);
        List<SnapshotInfo> infos;
        lock (_gate)
        {
            infos = _snapshots.TryGetValue(streamId, out var list) ? [.. list.Values.Reverse().Select(s => s.ToInfo())] : [];
        }

        foreach (var info in infos)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return info;
        }
    }

    /// <inheritdoc />
    public ValueTask<int> PruneSnapshotsAsync(string streamId, int keep, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        SnapshotValidation.ValidateKeep(keep);
        lock (_gate)
        {
            var deleted = 0;
            if (_snapshots.TryGetValue(streamId, out var list))
            {
                while (list.Count > keep)
                {
                    list.RemoveAt(0);
                    deleted++;
                }
            }

            return ValueTask.FromResult(deleted);
        }
    }

    /// <inheritdoc />
    public ValueTask<long> GetVersionAtTimeAsync(string streamId, DateTimeOffset time, CancellationToken cancellationToken = default)
        => LastVersionWhere(streamId, e => e.Timestamp <= time);

    /// <inheritdoc />
    public ValueTask<long> GetVersionAtPositionAsync(string streamId, long position, CancellationToken cancellationToken = default)
        => LastVersionWhere(streamId, e => e.Position <= position);

    private ValueTask<long> LastVersionWhere(string streamId, Func<RecordedEvent, bool> inside)
    {
        AppendValidation.ValidateStreamId(streamId);
        lock (_gate)
        {
            long version = 0;
            if (_streams.TryGetValue(streamId, out var stream))
            {
                foreach (var e in stream)
                {
                    if (inside(e))
                    {
                        version = e.StreamVersion;
                    }
                }
            }

            return ValueTask.FromResult(version);
        }
    }
}
