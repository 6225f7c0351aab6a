namespace Eventuali;

/// <summary>Payload content types a store understands. JSON payloads are stored as queryable JSON where the backend can.</summary>
public static class ContentTypes
{
    public const string Json = "application/json";
    public const string Protobuf = "application/x-protobuf";
    public const string Binary = "application/octet-stream";

    public static bool IsJson(string contentType) => string.Equals(contentType, Json, StringComparison.Ordinal);
}
