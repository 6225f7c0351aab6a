using System.Text.Json.Serialization;
using Eventuali.DataKeys;

namespace Eventuali.Security.Encryption;

/// <summary>What a rewrap did: the active KEK, keys re-wrapped, keys already under it, keys changed by another writer meanwhile.</summary>
public sealed record RewrapResult(string ActiveKeyId, int Rewrapped, int AlreadyCurrent, int Skipped);

/// <summary>
/// What an erasure did: when, how many key versions it destroyed, the streams that held the subject's data, snapshots
/// deleted, read-model documents deleted, and dead-letter and projection errors redacted.
/// </summary>
public sealed record SubjectErasure(string SubjectId, DateTimeOffset ErasedAt, int KeysDestroyed, IReadOnlyList<string> Streams, int SnapshotsDeleted, int DocumentsDeleted, int ErrorsRedacted);

/// <summary>One data key version as a report shows it (never the key).</summary>
public sealed record DataKeyInfo(string SubjectId, int Version, string KekId, DateTimeOffset CreatedAt, TimeSpan Age, long UsesReserved);

/// <summary>The state of a store's keys: its id, the active KEK, every data key version and every erased subject.</summary>
public sealed record KeyReport(string StoreId, string ActiveKeyId, IReadOnlyList<DataKeyInfo> DataKeys, IReadOnlyList<ErasedSubject> ErasedSubjects);

/// <summary>
/// The fact appended when a subject is erased, as JSON to stream <see cref="StreamId"/> with type <see cref="EventType"/>
/// (event id derived from the subject, so a repeated erasure appends it once): projections subscribe to it to delete
/// what they derived about the subject.
/// </summary>
public sealed record DataSubjectErasedFact(string SubjectId, DateTimeOffset ErasedAt, IReadOnlyList<string> Streams)
{
    /// <summary>The stream the facts are appended to.</summary>
    public const string StreamId = "gdpr-erasures";

    /// <summary>The stored event type.</summary>
    public const string EventType = "DataSubjectErased";

    internal static readonly Guid IdNamespace = new("0c9f7e55-2f7d-4a53-9a0e-5c3b1d1e6a42");
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DataSubjectErasedFact))]
internal sealed partial class ErasureJson : JsonSerializerContext;
