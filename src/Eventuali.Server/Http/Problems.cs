using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Eventuali.Server;

/// <summary>
/// RFC 9457 Problem Details: every error the API answers has one of these stable <c>type</c> URIs, a title, the
/// status, and a detail naming what was wrong (never a stack trace, payload or secret).
/// </summary>
public static class Problems
{
    /// <summary>The base of every problem type URI.</summary>
    public const string TypeBase = "https://eventuali.dev/problems/";

    /// <summary>The body is not JSON, or not the JSON the route takes (400).</summary>
    public static readonly ProblemType InvalidJson = new("invalid-json", "Malformed JSON", 400);
    /// <summary>An event in an append is not valid (400).</summary>
    public static readonly ProblemType InvalidEvent = new("invalid-event", "Invalid event", 400);
    /// <summary>A query or header value is not valid (400).</summary>
    public static readonly ProblemType InvalidParameter = new("invalid-parameter", "Invalid parameter", 400);
    /// <summary>The server serves only tenants' stores and the request reached none (400; see <see cref="EventualiServerOptions.RequireTenant"/>).</summary>
    public static readonly ProblemType TenantRequired = new("tenant-required", "Tenant required", 400);
    /// <summary>The stream id is not valid (400).</summary>
    public static readonly ProblemType InvalidStreamId = new("invalid-stream-id", "Invalid stream id", 400);
    /// <summary>No or bad credentials (401).</summary>
    public static readonly ProblemType Unauthenticated = new("unauthenticated", "Authentication required", 401);
    /// <summary>The caller's role or scope does not allow this (403).</summary>
    public static readonly ProblemType Forbidden = new("forbidden", "Forbidden", 403);
    /// <summary>No such route (404).</summary>
    public static readonly ProblemType NotFound = new("not-found", "Not found", 404);
    /// <summary>No such stream (404).</summary>
    public static readonly ProblemType StreamNotFound = new("stream-not-found", "Stream not found", 404);
    /// <summary>The expected version in the body did not hold (409).</summary>
    public static readonly ProblemType WrongExpectedVersion = new("wrong-expected-version", "Wrong expected version", 409);
    /// <summary>An event id is already used elsewhere (409).</summary>
    public static readonly ProblemType DuplicateEventId = new("duplicate-event-id", "Duplicate event id", 409);
    /// <summary>The stream is deleted (410).</summary>
    public static readonly ProblemType StreamDeleted = new("stream-deleted", "Stream deleted", 410);
    /// <summary>The version in If-Match did not hold (412).</summary>
    public static readonly ProblemType PreconditionFailed = new("precondition-failed", "Precondition failed", 412);
    /// <summary>The body is larger than the configured limit (413).</summary>
    public static readonly ProblemType PayloadTooLarge = new("payload-too-large", "Payload too large", 413);
    /// <summary>The body is not <c>application/json</c> (415).</summary>
    public static readonly ProblemType UnsupportedMediaType = new("unsupported-media-type", "Unsupported media type", 415);
    /// <summary>The caller made too many requests (429).</summary>
    public static readonly ProblemType RateLimited = new("rate-limited", "Too many requests", 429);
    /// <summary>An unexpected failure; the detail says nothing more (500).</summary>
    public static readonly ProblemType Internal = new("internal", "Internal error", 500);
    /// <summary>The store does not have the capability this route needs (501).</summary>
    public static readonly ProblemType NotSupported = new("not-supported", "Not supported by this store", 501);
    /// <summary>The store cannot be reached now (503).</summary>
    public static readonly ProblemType Unavailable = new("unavailable", "Store unavailable", 503);

    /// <summary>Writes <paramref name="type"/> with <paramref name="detail"/> as the response, unless a response has started.</summary>
    public static async Task WriteAsync(HttpContext context, ProblemType type, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(type);
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = type.Status;
        response.ContentType = "application/problem+json";
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type.Uri);
            writer.WriteString("title", type.Title);
            writer.WriteNumber("status", type.Status);
            writer.WriteString("detail", detail);
            writer.WriteString("instance", context.Request.Path.Value);
            writer.WriteEndObject();
        }

        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The problem a store or argument exception stands for, or null when it is unexpected (then 500).</summary>
    internal static (ProblemType Type, string Detail)? From(Exception ex, bool expectedFromHeader) => ex switch
    {
        ConcurrencyException c => (expectedFromHeader ? PreconditionFailed : WrongExpectedVersion,
            $"The stream was expected at version {c.ExpectedVersion} but is at {(c.ActualVersion is { } v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "no version (it does not exist)")}."),
        DuplicateEventIdException d => (DuplicateEventId, $"Event id {d.EventId} is already stored{(d.ExistingStreamId is null ? "" : " in another stream or at another place")}."),
        StreamDeletedException d => (StreamDeleted, d.IsTombstoned ? "The stream was deleted for good." : "The stream is soft-deleted."),
        InvalidStreamIdException i => (InvalidStreamId, i.Message),
        EventStoreUnavailableException => (Unavailable, "The store cannot be reached now; retry later."),
        NotSupportedException => (NotSupported, "This store does not support that operation."),
        ArgumentException a => (InvalidEvent, a.Message),
        _ => null,
    };
}

/// <summary>One kind of problem: its stable type URI, title and HTTP status.</summary>
/// <param name="Slug">The last segment of the type URI.</param>
/// <param name="Title">The short, fixed human-readable summary.</param>
/// <param name="Status">The HTTP status code.</param>
public sealed record ProblemType(string Slug, string Title, int Status)
{
    /// <summary>The type URI: <see cref="Problems.TypeBase"/> followed by <see cref="Slug"/>.</summary>
    public string Uri => Problems.TypeBase + Slug;
}
