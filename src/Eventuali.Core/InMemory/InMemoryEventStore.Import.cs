using Eventuali.Import;

namespace Eventuali.InMemory;

public sealed partial class InMemoryEventStore : IEventImporter
{
    /// <inheritdoc />
    public ValueTask<AppendResult> ImportAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, DateTimeOffset timestamp, CancellationToken cancellationToken = default)
        => Append(streamId, expectedVersion, events, ImportValidation.Normalize(timestamp), cancellationToken);
}
