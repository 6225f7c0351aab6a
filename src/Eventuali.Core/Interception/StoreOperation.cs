using Eventuali.Auditing;

namespace Eventuali.Interception;

/// <summary>
/// One store operation as a whole, reported to <see cref="EventStoreInterceptor.OnOperationAsync"/> when it ends:
/// an append to a stream, a stream or global read (when its reader finishes or stops), a lifecycle change, or an
/// operation reported by a layer above the store (key rotation, erasure) through
/// <see cref="InterceptedEventStore.ReportOperationAsync"/>. It names no payload.
/// </summary>
/// <param name="Action">The kind of operation.</param>
/// <param name="Name">Its short name: <c>append</c>, <c>import</c>, <c>read-stream</c>, <c>read-all</c>, <c>read-archived</c>, <c>delete-stream</c>, ...</param>
/// <param name="StreamId">The stream concerned, or null.</param>
/// <param name="EventCount">Events written or read (for a failed append, the events offered).</param>
/// <param name="Error">The exception it ended with, or null when it succeeded.</param>
public sealed record StoreOperation(AuditAction Action, string Name, string? StreamId, long EventCount, Exception? Error = null);
