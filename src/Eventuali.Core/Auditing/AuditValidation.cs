namespace Eventuali.Auditing;

/// <summary>The checks every backend makes on audit records before storing them, so errors read the same. Errors name the field, never its value.</summary>
public static class AuditValidation
{
    /// <summary>The longest operation name, error type name or stream id accepted, in characters.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Throws <see cref="ArgumentException"/> naming the record and field unless every record is well formed.</summary>
    public static void Records(IReadOnlyList<AuditRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i] ?? throw new ArgumentException($"Audit record {i} is null.", nameof(records));
            Actor(r.Actor, $"{nameof(records)}[{i}].{nameof(AuditRecord.Actor)}");
            Name(r.Operation, required: true, i, nameof(AuditRecord.Operation), nameof(records));
            Name(r.ErrorType, required: false, i, nameof(AuditRecord.ErrorType), nameof(records));
            if (r.StreamId is { Length: > AppendValidation.MaxStreamIdLength })
            {
                throw new ArgumentException($"Audit record {i} has a stream id of {r.StreamId.Length} characters; the maximum is {AppendValidation.MaxStreamIdLength}.", nameof(records));
            }

            if (!Enum.IsDefined(r.Action) || !Enum.IsDefined(r.Outcome))
            {
                throw new ArgumentException($"Audit record {i} has an undefined action ({(int)r.Action}) or outcome ({(int)r.Outcome}).", nameof(records));
            }

            if (r.EventCount < 0)
            {
                throw new ArgumentException($"Audit record {i} has a negative event count.", nameof(records));
            }
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> (for <paramref name="parameter"/>) unless <paramref name="actor"/> is 1-200 characters without control characters.</summary>
    public static void Actor(string actor, string parameter)
    {
        if (string.IsNullOrWhiteSpace(actor) || actor.Length > AuditContext.MaxActorLength || actor.Any(char.IsControl))
        {
            throw new ArgumentException($"An audit actor must be 1-{AuditContext.MaxActorLength} characters without control characters (got {actor?.Length ?? 0} characters).", parameter);
        }
    }

    private static void Name(string? value, bool required, int index, string field, string parameter)
    {
        if (value is null ? required : value.Length is 0 or > MaxNameLength || value.Any(char.IsControl))
        {
            throw new ArgumentException($"Audit record {index} has no usable {field} (1-{MaxNameLength} characters without control characters).", parameter);
        }
    }
}
