namespace Eventuali;

/// <summary>
/// Metadata stored beside every event as first-class fields (columns, not a blob),
/// so stores can filter and index on them.
/// </summary>
public sealed record EventMetadata(
    string? CorrelationId = null,
    string? CausationId = null,
    string? ActorId = null,
    IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>No metadata; shared so reads of metadata-free events allocate nothing.</summary>
    public static EventMetadata Empty { get; } = new();

    /// <summary>True when no field is set.</summary>
    public bool IsEmpty => CorrelationId is null && CausationId is null && ActorId is null && (Headers is null || Headers.Count == 0);

    /// <summary>Field-by-field equality, comparing headers by content.</summary>
    public bool ContentEquals(EventMetadata? other)
    {
        if (other is null)
        {
            return IsEmpty;
        }

        if (CorrelationId != other.CorrelationId || CausationId != other.CausationId || ActorId != other.ActorId)
        {
            return false;
        }

        var a = Headers ?? EmptyHeaders;
        var b = other.Headers ?? EmptyHeaders;
        return a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
    }

    private static readonly Dictionary<string, string> EmptyHeaders = [];
}
