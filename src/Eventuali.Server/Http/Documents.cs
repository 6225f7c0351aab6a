using System.Text.Json;
using System.Text.Json.Serialization;

namespace Eventuali.Server;

/// <summary>An event to append (the OpenAPI shape of one element of an append's body).</summary>
/// <param name="Type">The stored event type name.</param>
/// <param name="Data">The payload, any JSON value.</param>
/// <param name="Id">The event id (a UUID): the idempotency key. Send one, so a retried append writes nothing twice.</param>
/// <param name="Metadata">Correlation, causation, actor and headers.</param>
public sealed record AppendEventDocument(string Type, JsonElement Data, Guid? Id = null, EventMetadataDocument? Metadata = null);

/// <summary>An append with the expected version in the body (a mismatch answers 409).</summary>
/// <param name="ExpectedVersion">The version the stream must be at (0: it must not exist); null: no check.</param>
/// <param name="Events">The events, in order.</param>
public sealed record AppendRequestDocument(long? ExpectedVersion, IReadOnlyList<AppendEventDocument> Events);

/// <summary>Event metadata as JSON.</summary>
/// <param name="CorrelationId">The correlation id.</param>
/// <param name="CausationId">The causation id (the id of the event or command that caused this one).</param>
/// <param name="ActorId">Who caused it.</param>
/// <param name="Headers">Other string headers.</param>
public sealed record EventMetadataDocument(string? CorrelationId, string? CausationId, string? ActorId, IReadOnlyDictionary<string, string>? Headers);

/// <summary>The outcome of an append (also in the ETag header as the weak ETag of the new version).</summary>
/// <param name="StreamVersion">The stream's version after the append.</param>
/// <param name="LastPosition">The global position of the last event appended.</param>
public sealed record AppendResultDocument(long StreamVersion, long LastPosition);

/// <summary>A stored event as the API returns it.</summary>
/// <param name="StreamId">Its stream.</param>
/// <param name="Version">Its version in the stream.</param>
/// <param name="Position">Its global position (the server-sent event id).</param>
/// <param name="Id">Its event id.</param>
/// <param name="Type">Its stored type name.</param>
/// <param name="Timestamp">When it was appended.</param>
/// <param name="ContentType">The payload's content type.</param>
/// <param name="Data">A JSON payload.</param>
/// <param name="DataBase64">A payload that is not JSON, in base64.</param>
/// <param name="Metadata">Its metadata, when any is set.</param>
public sealed record EventDocument(string StreamId, long Version, long Position, Guid Id, string Type, DateTimeOffset Timestamp, string ContentType, JsonElement? Data, string? DataBase64, EventMetadataDocument? Metadata);

/// <summary>A page of events; pass <paramref name="Next"/> as <c>from</c> to read on (null: the end was reached).</summary>
/// <param name="Events">The events of the page, in read order.</param>
/// <param name="Next">Where the next page starts, or null.</param>
public sealed record EventPageDocument(IReadOnlyList<EventDocument> Events, long? Next);

/// <summary>A stream's state.</summary>
/// <param name="StreamId">The stream.</param>
/// <param name="Status">live, soft-deleted, tombstoned or none.</param>
/// <param name="Version">Its version, or null.</param>
/// <param name="TruncatedBefore">Versions below this were truncated or archived.</param>
public sealed record StreamInfoDocument(string StreamId, string Status, long? Version, long TruncatedBefore);

/// <summary>A list of stream ids.</summary>
/// <param name="Streams">The ids, in ordinal order.</param>
public sealed record StreamListDocument(IReadOnlyList<string> Streams);

/// <summary>How many events a lifecycle operation changed.</summary>
/// <param name="StreamId">The stream.</param>
/// <param name="Events">Events removed or moved (for delete and restore: 1 when something changed, else 0).</param>
public sealed record LifecycleResultDocument(string StreamId, long Events);

/// <summary>A projection's status.</summary>
/// <param name="Name">The projection.</param>
/// <param name="Position">Where it is in the global log.</param>
/// <param name="HeadPosition">The head of the log.</param>
/// <param name="Lag">Positions behind the head.</param>
/// <param name="State">Its state.</param>
/// <param name="Error">Its last error, when faulted.</param>
/// <param name="DeadLetters">Events it parked.</param>
/// <param name="RebuildRequestedFrom">A rebuild asked for and not yet begun.</param>
public sealed record ProjectionDocument(string Name, long Position, long HeadPosition, long Lag, string State, string? Error, long DeadLetters, long? RebuildRequestedFrom);

/// <summary>The store's statistics (for admins).</summary>
/// <param name="Streams">Live streams.</param>
/// <param name="Events">Events.</param>
/// <param name="HeadPosition">The head of the global log.</param>
public sealed record StatisticsDocument(long Streams, long Events, long HeadPosition);

/// <summary>Who the caller is.</summary>
/// <param name="Actor">The caller as the audit log names it.</param>
/// <param name="Role">read, write or admin.</param>
/// <param name="Scope">The stream-id prefix it may reach.</param>
/// <param name="Tenant">Its tenant, or null.</param>
public sealed record CallerDocument(string Actor, string Role, string Scope, string? Tenant);

/// <summary>JSON source generation for the documents, so serialization and the OpenAPI schemas need no reflection.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AppendEventDocument[]))]
[JsonSerializable(typeof(AppendRequestDocument))]
[JsonSerializable(typeof(AppendResultDocument))]
[JsonSerializable(typeof(EventDocument))]
[JsonSerializable(typeof(EventPageDocument))]
[JsonSerializable(typeof(StreamInfoDocument))]
[JsonSerializable(typeof(StreamListDocument))]
[JsonSerializable(typeof(LifecycleResultDocument))]
[JsonSerializable(typeof(ProjectionDocument[]))]
[JsonSerializable(typeof(StatisticsDocument))]
[JsonSerializable(typeof(CallerDocument))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
internal sealed partial class ServerJson : JsonSerializerContext;
