using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Eventuali.Server;

/// <summary>
/// The events of the key stream (<see cref="ApiKeyStore.StreamId"/>): <c>apikey-created</c> (id, role, scope, tenant,
/// salt, hash, expiry), <c>apikey-revoked</c> (id) and <c>apikey-used</c> (id; at most one a minute per key). Written
/// and read as JSON by hand, so no reflection is needed.
/// </summary>
internal static class ApiKeyEvents
{
    public const string Created = "apikey-created";
    public const string Revoked = "apikey-revoked";
    public const string Used = "apikey-used";

    public static EventData NewCreated(ApiKeyInfo info, byte[] salt, byte[] hash, TimeProvider clock)
        => Write(Created, clock, w =>
        {
            w.WriteString("id", info.Id);
            w.WriteString("role", ApiRoles.ToText(info.Role));
            w.WriteString("scope", info.Scope);
            if (info.Tenant is not null)
            {
                w.WriteString("tenant", info.Tenant);
            }

            w.WriteBase64String("salt", salt);
            w.WriteBase64String("hash", hash);
            if (info.ExpiresAt is { } expires)
            {
                w.WriteString("expiresAt", expires);
            }
        });

    public static EventData NewRevoked(string id, TimeProvider clock) => Write(Revoked, clock, w => w.WriteString("id", id));

    public static EventData NewUsed(string id, TimeProvider clock) => Write(Used, clock, w => w.WriteString("id", id));

    /// <summary>Applies one stored event to the key table; unknown event types are ignored (a later version may add some).</summary>
    public static void Apply(RecordedEvent e, Dictionary<string, ApiKeyRecord> keys)
    {
        using var doc = JsonDocument.Parse(e.Data);
        var root = doc.RootElement;
        var id = root.GetProperty("id").GetString() ?? "";
        switch (e.EventType)
        {
            case Created:
                _ = ApiRoles.TryParse(root.GetProperty("role").GetString(), out var role);
                var info = new ApiKeyInfo(
                    id,
                    role,
                    root.GetProperty("scope").GetString() ?? "",
                    root.TryGetProperty("tenant", out var t) ? t.GetString() : null,
                    e.Timestamp,
                    root.TryGetProperty("expiresAt", out var x) ? x.GetDateTimeOffset() : null,
                    null,
                    null);
                keys[id] = new ApiKeyRecord(info, root.GetProperty("salt").GetBytesFromBase64(), root.GetProperty("hash").GetBytesFromBase64());
                break;
            case Revoked when keys.TryGetValue(id, out var revoked):
                revoked.Info = revoked.Info with { RevokedAt = revoked.Info.RevokedAt ?? e.Timestamp };
                break;
            case Used when keys.TryGetValue(id, out var used):
                used.Info = used.Info with { LastUsedAt = e.Timestamp };
                used.LastUseRecorded = e.Timestamp;
                break;
        }
    }

    private static EventData Write(string type, TimeProvider clock, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return EventData.Create(type, buffer.WrittenMemory.ToArray(), timeProvider: clock);
    }

    public static string Describe(DateTimeOffset? time) => time?.ToString("u", CultureInfo.InvariantCulture) ?? "-";
}

/// <summary>One key as the store knows it: its public info and the salted hash of its secret.</summary>
internal sealed class ApiKeyRecord(ApiKeyInfo info, byte[] salt, byte[] hash)
{
    public ApiKeyInfo Info { get; set; } = info;
    public byte[] Salt { get; } = salt;
    public byte[] Hash { get; } = hash;

    /// <summary>The last use written to the key stream (uses are written at most once a minute).</summary>
    public DateTimeOffset? LastUseRecorded { get; set; }
}
