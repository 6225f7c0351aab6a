using System.Text.Json;
using System.Text.Json.Serialization;

namespace Eventuali.Server;

/// <summary>An event a projection parked after its handler kept failing.</summary>
/// <param name="Id">The dead letter's id: name it to retry this one.</param>
/// <param name="Projection">The projection (or partition) that parked it.</param>
/// <param name="Position">The event's global position.</param>
/// <param name="StreamId">The event's stream.</param>
/// <param name="StreamVersion">The event's version in its stream.</param>
/// <param name="EventId">The event's id.</param>
/// <param name="EventType">The event's stored type name.</param>
/// <param name="Error">The handler's last error.</param>
/// <param name="Attempts">How many times the handler ran on it.</param>
/// <param name="ParkedAt">When it was parked (or last retried).</param>
/// <param name="RetryRequested">Whether a retry is asked for and not yet run.</param>
public sealed record DeadLetterDocument(long Id, string Projection, long Position, string StreamId, long StreamVersion, Guid EventId, string EventType, string Error, int Attempts, DateTimeOffset ParkedAt, bool RetryRequested);

/// <summary>The outcome of a retry request: the projection daemon runs the handler again for each marked dead letter.</summary>
/// <param name="Projection">The projection.</param>
/// <param name="Marked">Dead letters marked for retry.</param>
public sealed record DeadLetterRetryDocument(string Projection, int Marked);

/// <summary>A stored snapshot, without its data.</summary>
/// <param name="StreamId">The aggregate's stream.</param>
/// <param name="Version">The stream version the state includes.</param>
/// <param name="Position">The global position of the event at that version.</param>
/// <param name="AggregateType">The aggregate's name.</param>
/// <param name="SchemaVersion">The shape of the state.</param>
/// <param name="Codec">How the data is compressed.</param>
/// <param name="StoredBytes">The stored (compressed) size.</param>
/// <param name="CreatedAt">When it was taken.</param>
public sealed record SnapshotDocument(string StreamId, long Version, long Position, string AggregateType, int SchemaVersion, string Codec, int StoredBytes, DateTimeOffset CreatedAt);

/// <summary>A stream's snapshots, newest first (the first is the one a load uses).</summary>
/// <param name="StreamId">The stream.</param>
/// <param name="Snapshots">Its snapshots, newest first.</param>
public sealed record SnapshotListDocument(string StreamId, IReadOnlyList<SnapshotDocument> Snapshots);

/// <summary>How many snapshots a delete removed.</summary>
/// <param name="StreamId">The stream.</param>
/// <param name="Deleted">Snapshots deleted.</param>
public sealed record SnapshotDeleteDocument(string StreamId, int Deleted);

/// <summary>A registered tenant.</summary>
/// <param name="Tenant">Its id.</param>
/// <param name="Suspended">Whether its store is refused until resumed.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="DeletionRequested">Whether its deletion was asked for.</param>
public sealed record TenantDocument(string Tenant, bool Suspended, DateTimeOffset CreatedAt, bool DeletionRequested);

/// <summary>One UTC day of a tenant's metered usage.</summary>
/// <param name="Day">The UTC day.</param>
/// <param name="Events">Events appended.</param>
/// <param name="Bytes">Event payload bytes appended.</param>
/// <param name="Streams">Streams created.</param>
/// <param name="Reads">Events read.</param>
public sealed record TenantUsageDayDocument(DateOnly Day, long Events, long Bytes, long Streams, long Reads);

/// <summary>A tenant's usage by day over a range, and its storage now.</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="From">The first day.</param>
/// <param name="To">The last day, inclusive.</param>
/// <param name="Days">One entry per day, oldest first.</param>
/// <param name="StorageBytes">The tenant's storage now.</param>
public sealed record TenantUsageDocument(string Tenant, DateOnly From, DateOnly To, IReadOnlyList<TenantUsageDayDocument> Days, long StorageBytes);

/// <summary>An API key as admins see it: never its secret or hash.</summary>
/// <param name="Id">Its public id.</param>
/// <param name="Role">read, write or admin.</param>
/// <param name="Scope">The stream-id prefix it may reach.</param>
/// <param name="Tenant">Its tenant, or null.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="ExpiresAt">When it stops working, or null.</param>
/// <param name="LastUsedAt">When it was last accepted (to the minute), or null.</param>
/// <param name="RevokedAt">When it was revoked, or null.</param>
/// <param name="Active">Whether it is accepted now.</param>
public sealed record ApiKeyDocument(string Id, string Role, string Scope, string? Tenant, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, bool Active);

/// <summary>A key to create.</summary>
/// <param name="Role">read, write or admin.</param>
/// <param name="Scope">The stream-id prefix it may reach (default: the creator's scope).</param>
/// <param name="Tenant">Its tenant (default: the creator's).</param>
/// <param name="ExpiresAt">When it stops working (default never).</param>
public sealed record CreateApiKeyDocument(string Role, string? Scope = null, string? Tenant = null, DateTimeOffset? ExpiresAt = null);

/// <summary>A key just created: <paramref name="Key"/> is shown this once and never again.</summary>
/// <param name="Key">The full key for the client's <c>X-Api-Key</c> header.</param>
/// <param name="Info">What was recorded about it.</param>
public sealed record CreatedApiKeyDocument(string Key, ApiKeyDocument Info);

/// <summary>One entry of the access audit log.</summary>
/// <param name="Position">Its position in the log.</param>
/// <param name="Time">When the operation ended.</param>
/// <param name="Actor">Who performed it.</param>
/// <param name="Action">append, read, erase or admin.</param>
/// <param name="Operation">The operation's short name.</param>
/// <param name="StreamId">The stream concerned, or null.</param>
/// <param name="Outcome">succeeded or failed.</param>
/// <param name="ErrorType">On failure, the reason or error type.</param>
/// <param name="EventCount">Events written or read.</param>
public sealed record AuditEntryDocument(long Position, DateTimeOffset Time, string Actor, string Action, string Operation, string? StreamId, string Outcome, string? ErrorType, long EventCount);

/// <summary>A page of the audit log; pass <paramref name="Next"/> as <c>from</c> to read on (null: the end was reached).</summary>
/// <param name="Entries">The matching entries, in position order.</param>
/// <param name="Next">Where the next page starts, or null.</param>
public sealed record AuditPageDocument(IReadOnlyList<AuditEntryDocument> Entries, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? Next);

/// <summary>JSON source generation for the admin documents (dead letters, snapshots, tenants, keys, audit).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DeadLetterDocument[]))]
[JsonSerializable(typeof(DeadLetterRetryDocument))]
[JsonSerializable(typeof(SnapshotDocument))]
[JsonSerializable(typeof(SnapshotListDocument))]
[JsonSerializable(typeof(SnapshotDeleteDocument))]
[JsonSerializable(typeof(TenantDocument[]))]
[JsonSerializable(typeof(TenantUsageDocument))]
[JsonSerializable(typeof(ApiKeyDocument[]))]
[JsonSerializable(typeof(CreateApiKeyDocument))]
[JsonSerializable(typeof(CreatedApiKeyDocument))]
[JsonSerializable(typeof(AuditPageDocument))]
internal sealed partial class AdminJson : JsonSerializerContext;
