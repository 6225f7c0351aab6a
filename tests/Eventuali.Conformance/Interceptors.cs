using Eventuali.Interception;
using Eventuali.Snapshots;

namespace Eventuali.Conformance;

/// <summary>A pass-through interceptor that counts what crosses the seam.</summary>
public sealed class CountingInterceptor : EventStoreInterceptor
{
    private long _appended;
    private long _read;
    private long _snapshotsWritten;
    private long _snapshotsRead;

    public long Appended => Interlocked.Read(ref _appended);

    public long Read => Interlocked.Read(ref _read);

    public long SnapshotsWritten => Interlocked.Read(ref _snapshotsWritten);

    public long SnapshotsRead => Interlocked.Read(ref _snapshotsRead);

    public override EventData OnAppending(string streamId, EventData data)
    {
        Interlocked.Increment(ref _appended);
        return data;
    }

    public override RecordedEvent OnReading(RecordedEvent recorded)
    {
        Interlocked.Increment(ref _read);
        return recorded;
    }

    public override StoredSnapshot OnWritingSnapshot(StoredSnapshot snapshot)
    {
        Interlocked.Increment(ref _snapshotsWritten);
        return snapshot;
    }

    public override StoredSnapshot OnReadingSnapshot(StoredSnapshot snapshot)
    {
        Interlocked.Increment(ref _snapshotsRead);
        return snapshot;
    }
}

/// <summary>
/// Rewrites what is stored and undoes it on the way out, as an encryption feature would: every event is stored with
/// one extra header, and every read strips it again (and counts an event that came back without it).
/// </summary>
public sealed class StampingInterceptor : EventStoreInterceptor
{
    /// <summary>The header stamped on every stored event.</summary>
    public const string Header = "x-eventuali-stamp";

    private long _unstamped;

    /// <summary>Reads of events that were stored without the stamp (written around the seam).</summary>
    public long Unstamped => Interlocked.Read(ref _unstamped);

    public override EventData OnAppending(string streamId, EventData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var headers = new Dictionary<string, string>(data.Metadata.Headers ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [Header] = "1" };
        return new EventData(data.EventId, data.EventType, data.Data, data.Metadata with { Headers = headers }, data.ContentType);
    }

    public override RecordedEvent OnReading(RecordedEvent recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var headers = recorded.Metadata.Headers;
        if (headers is null || !headers.ContainsKey(Header))
        {
            Interlocked.Increment(ref _unstamped);
            return recorded;
        }

        var rest = headers.Where(h => h.Key != Header).ToDictionary(h => h.Key, h => h.Value, StringComparer.Ordinal);
        var metadata = recorded.Metadata with { Headers = rest.Count == 0 ? null : rest };
        return recorded with { Metadata = metadata.IsEmpty ? EventMetadata.Empty : metadata };
    }
}
