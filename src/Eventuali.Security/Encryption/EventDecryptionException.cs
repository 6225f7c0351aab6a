namespace Eventuali.Security.Encryption;

/// <summary>
/// An encrypted event could not be decrypted: the ciphertext is truncated or altered, was copied from another event
/// or field, or its data key is missing or does not unwrap. Names the stream, the event and the key, never the
/// plaintext or key material. Nothing stored is changed by the failed read.
/// </summary>
public sealed class EventDecryptionException : EventualiException
{
    /// <summary>Creates the exception.</summary>
    public EventDecryptionException(string streamId, Guid eventId, string keyId, string reason, Exception? innerException = null)
        : base($"Event {eventId} of stream '{streamId}' cannot be decrypted with data key '{keyId}': {reason}", innerException)
    {
        StreamId = streamId;
        EventId = eventId;
        KeyId = keyId;
    }

    /// <summary>The stream of the event.</summary>
    public string StreamId { get; }

    /// <summary>The event's id.</summary>
    public Guid EventId { get; }

    /// <summary>The data key concerned, as <c>subject/version</c>.</summary>
    public string KeyId { get; }
}

/// <summary>An append names a data subject that was erased: new personal data about it is refused, nothing is stored.</summary>
public sealed class DataSubjectErasedException : EventualiException
{
    /// <summary>Creates the exception.</summary>
    public DataSubjectErasedException(string subjectId, DateTimeOffset erasedAt)
        : base($"Data subject '{subjectId}' was erased at {erasedAt:O}; no new personal data can be encrypted for it.")
    {
        SubjectId = subjectId;
        ErasedAt = erasedAt;
    }

    /// <summary>The erased subject.</summary>
    public string SubjectId { get; }

    /// <summary>When it was erased.</summary>
    public DateTimeOffset ErasedAt { get; }
}

/// <summary>An event could not be encrypted (its payload is not a JSON object, or it names no subject); nothing was stored.</summary>
public sealed class EventEncryptionException : EventualiException
{
    /// <summary>Creates the exception.</summary>
    public EventEncryptionException(string streamId, Guid eventId, string reason)
        : base($"Event {eventId} for stream '{streamId}' cannot be encrypted: {reason}")
    {
        StreamId = streamId;
        EventId = eventId;
    }

    /// <summary>The stream appended to.</summary>
    public string StreamId { get; }

    /// <summary>The event's id.</summary>
    public Guid EventId { get; }
}
