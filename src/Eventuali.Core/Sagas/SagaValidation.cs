using System.Text.Json;
using Eventuali.Sagas;

namespace Eventuali.Extensibility;

/// <summary>Argument checks every saga store applies before touching storage, so errors read the same everywhere.</summary>
public static class SagaValidation
{
    /// <summary>The longest saga name accepted.</summary>
    public const int MaxNameLength = 200;
    /// <summary>The longest saga instance id accepted.</summary>
    public const int MaxIdLength = 1000;

    /// <summary>Throws when the saga name or instance id is empty, too long or not valid text.</summary>
    public static void ValidateKey(string sagaName, string sagaId)
    {
        Text(sagaName, nameof(sagaName), "Saga name", MaxNameLength);
        Text(sagaId, nameof(sagaId), "Saga id", MaxIdLength);
    }

    /// <summary>Every write valid, and no instance twice (one batch saves each instance once).</summary>
    public static void ValidateBatch(IReadOnlyList<SagaWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var seen = new HashSet<(string, string)>();
        foreach (var write in writes)
        {
            Validate(write);
            if (!seen.Add((write.SagaName, write.SagaId)))
            {
                throw new ArgumentException($"Saga '{write.SagaName}' instance '{write.SagaId}' appears twice in one batch of saga writes; save it once with its final state.", nameof(writes));
            }
        }
    }

    /// <summary>Throws when a saga write is not valid (key, state, version, position, outbox).</summary>
    public static void Validate(SagaWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        ValidateKey(write.SagaName, write.SagaId);
        var where = $"saga '{write.SagaName}' instance '{write.SagaId}'";
        if (write.ExpectedVersion < 0)
        {
            throw new ArgumentException($"Expected version of {where} is {write.ExpectedVersion}; it must be 0 (new) or more.", nameof(write));
        }

        if (write.LastPosition < 0)
        {
            throw new ArgumentException($"Last position of {where} is {write.LastPosition}; it must be 0 or more.", nameof(write));
        }

        Json(write.State, $"the state of {where}", allowNull: false);
        Json(write.Outbox, $"the outbox of {where}", allowNull: true);
        ArgumentNullException.ThrowIfNull(write.Schedule);
        ArgumentNullException.ThrowIfNull(write.Cancel);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in write.Schedule)
        {
            if (t is null || t.SagaName != write.SagaName || t.SagaId != write.SagaId)
            {
                throw new ArgumentException($"A timeout scheduled by {where} is null or belongs to another instance.", nameof(write));
            }

            Text(t.Key, nameof(write), "Timeout key", MaxNameLength);
            if (t.TimeoutId == Guid.Empty || !keys.Add(t.Key))
            {
                throw new ArgumentException($"Timeout '{t.Key}' of {where} has an empty id or is scheduled twice in one save.", nameof(write));
            }

            Json(t.Data, $"the data of timeout '{t.Key}' of {where}", allowNull: true);
        }

        foreach (var key in write.Cancel)
        {
            Text(key, nameof(write), "Timeout key", MaxNameLength);
        }
    }

    /// <summary>Throws when a query for due timeouts names no valid saga or asks for fewer than one.</summary>
    public static void ValidateDueQuery(string sagaName, int maxCount)
    {
        Text(sagaName, nameof(sagaName), "Saga name", MaxNameLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
    }

    /// <summary>Times are kept to the microsecond on every backend, so a round trip compares equal.</summary>
    public static DateTimeOffset Micro(DateTimeOffset t)
    {
        var utc = t.UtcDateTime;
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }

    /// <summary>Microseconds since the Unix epoch, the form the backends store times in.</summary>
    public static long ToUnixMicroseconds(DateTimeOffset t) => (Micro(t).UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    /// <summary>The time <paramref name="micros"/> microseconds after the Unix epoch.</summary>
    public static DateTimeOffset FromUnixMicroseconds(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);

    private static void Text(string value, string param, string what, int max)
    {
        ArgumentNullException.ThrowIfNull(value, param);
        if (string.IsNullOrWhiteSpace(value) || value.Length > max)
        {
            throw new ArgumentException($"{what} must be 1 to {max} characters and not white space; got {value.Length} characters.", param);
        }

        if (value.Contains('\0', StringComparison.Ordinal) || !IsWellFormed(value))
        {
            throw new ArgumentException($"{what} '{value.Replace('\0', '?')}' has a NUL or lone surrogate character, which cannot be stored as UTF-8 text.", param);
        }
    }

    private static void Json(string? json, string what, bool allowNull)
    {
        if (json is null)
        {
            if (!allowNull)
            {
                throw new ArgumentException($"JSON for {what} is null.", nameof(json));
            }

            return;
        }

        if (json.Contains('\0', StringComparison.Ordinal) || !IsWellFormed(json))
        {
            throw new ArgumentException($"JSON for {what} has a NUL or lone surrogate character.", nameof(json));
        }

        try
        {
            using var _ = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"JSON for {what} is not valid JSON: {ex.Message}", nameof(json), ex);
        }
    }

    private static bool IsWellFormed(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return false;
            }
        }

        return true;
    }
}
