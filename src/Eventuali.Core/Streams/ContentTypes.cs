namespace Eventuali;

/// <summary>Payload content types a store understands. JSON payloads are stored as queryable JSON where the backend can.</summary>
public static class ContentTypes
{
    /// <summary>JSON payloads.</summary>
    public const string Json = "application/json";
    /// <summary>Protocol Buffers payloads.</summary>
    public const string Protobuf = "application/x-protobuf";
    /// <summary>Opaque binary payloads.</summary>
    public const string Binary = "application/octet-stream";

    /// <summary>True when <paramref name="contentType"/> is <see cref="Json"/>.</summary>
    public static bool IsJson(string contentType) => string.Equals(contentType, Json, StringComparison.Ordinal);
}
