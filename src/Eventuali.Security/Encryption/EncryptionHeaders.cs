using Eventuali.DataKeys;

namespace Eventuali.Security.Encryption;

/// <summary>
/// The metadata headers of field encryption. On raw <see cref="EventData"/>, <see cref="Personal"/> (a comma-separated
/// list of top-level JSON fields) and <see cref="Subject"/> ask the interceptor to encrypt those fields for that
/// subject; <see cref="For"/> builds them. Stored events carry <see cref="Subject"/> and <see cref="Encrypted"/>; a
/// read that could not decrypt (the subject was erased) carries <see cref="Redacted"/>.
/// </summary>
public static class EncryptionHeaders
{
    /// <summary>The data subject whose key encrypts the event's personal fields (kept in the clear).</summary>
    public const string Subject = DataSubjectHeader.Name;

    /// <summary>On an event to append: the top-level JSON fields to encrypt, comma-separated. Consumed by the interceptor.</summary>
    public const string Personal = "eventuali-personal";

    /// <summary>On a stored event: the fields stored encrypted, comma-separated, or <see cref="WholePayload"/>.</summary>
    public const string Encrypted = "eventuali-encrypted";

    /// <summary>On a read event: the fields shown as the redaction marker because their key was destroyed.</summary>
    public const string Redacted = "eventuali-redacted";

    /// <summary>On a stored event whose whole payload is encrypted: the payload's own content type.</summary>
    public const string OriginalContentType = "eventuali-content-type";

    /// <summary>The <see cref="Encrypted"/> value of an event whose whole (non-JSON) payload is encrypted.</summary>
    public const string WholePayload = "$payload";

    /// <summary>The content type of a stored event whose whole payload is encrypted.</summary>
    public const string EncryptedContentType = "application/vnd.eventuali.encrypted";

    /// <summary>The value a redacted string field reads as; any other redacted value reads as JSON null.</summary>
    public const string RedactionMarker = "[redacted]";

    /// <summary>Metadata asking to encrypt <paramref name="fields"/> of an event for <paramref name="subjectId"/>, on top of <paramref name="metadata"/>.</summary>
    public static EventMetadata For(string subjectId, IEnumerable<string> fields, EventMetadata? metadata = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectId);
        ArgumentNullException.ThrowIfNull(fields);
        var list = fields.ToList();
        if (list.Count == 0 || list.Any(f => string.IsNullOrWhiteSpace(f) || f.Contains(',', StringComparison.Ordinal)))
        {
            throw new ArgumentException("Name at least one field; field names must not be blank or contain commas.", nameof(fields));
        }

        metadata ??= EventMetadata.Empty;
        var headers = new Dictionary<string, string>(metadata.Headers ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [Subject] = subjectId,
            [Personal] = string.Join(',', list),
        };
        return metadata with { Headers = headers };
    }
}
