namespace Eventuali.DataKeys;

/// <summary>Argument checks every data-key store shares, so every backend refuses bad input with the same message.</summary>
public static class DataKeyValidation
{
    /// <summary>The longest subject id accepted.</summary>
    public const int MaxSubjectLength = 256;

    /// <summary>Refuses a null, blank, over-long or control-character subject id.</summary>
    public static void Subject(string subjectId)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        if (!IsValidSubject(subjectId))
        {
            throw new ArgumentException($"A data subject id must be 1 to {MaxSubjectLength} characters without control characters.", nameof(subjectId));
        }
    }

    /// <summary>True for a subject id <see cref="Subject"/> accepts: 1 to <see cref="MaxSubjectLength"/> characters, not blank, no control characters.</summary>
    public static bool IsValidSubject(string? subjectId)
        => !string.IsNullOrWhiteSpace(subjectId) && subjectId.Length <= MaxSubjectLength
           // char.IsControl's two ranges, scanned as a span: this runs for every event that carries personal data.
           && !subjectId.AsSpan().ContainsAnyInRange('\u0000', '\u001F') && !subjectId.AsSpan().ContainsAnyInRange('\u007F', '\u009F');

    /// <summary>Refuses a key that is malformed (bad subject, version below 1, blank KEK id, empty wrapped bytes).</summary>
    public static void Key(StoredDataKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Subject(key.SubjectId);
        ArgumentOutOfRangeException.ThrowIfLessThan(key.Version, 1, nameof(key));
        ArgumentException.ThrowIfNullOrWhiteSpace(key.KekId, nameof(key));
        ArgumentOutOfRangeException.ThrowIfNegative(key.UsesReserved, nameof(key));
        if (key.WrappedKey.IsEmpty)
        {
            throw new ArgumentException("A wrapped data key must not be empty.", nameof(key));
        }
    }
}
