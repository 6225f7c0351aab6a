using Eventuali.Import;

namespace Eventuali.Sqlite;

public sealed partial class SqliteEventStore : IEventImporter
{
    /// <summary>An append through the same writer and checks as <see cref="AppendAsync"/>, recording <paramref name="timestamp"/>.</summary>
    public ValueTask<AppendResult> ImportAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, DateTimeOffset timestamp, CancellationToken cancellationToken = default)
    {
        AppendValidation.Validate(streamId, events);
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var append = new PendingAppend(streamId, expectedVersion, events, cancellationToken) { Timestamp = ImportValidation.Normalize(timestamp) };
        return new ValueTask<AppendResult>(_queue.Enqueue(append));
    }
}
