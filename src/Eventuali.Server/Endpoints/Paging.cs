using System.Text.Json;
using Eventuali.Server.Access;
using Microsoft.AspNetCore.Http;

namespace Eventuali.Server.Endpoints;

/// <summary>
/// Writes a page of events as it is read (<c>{"events": [...], "next": N}</c>), flushing every few hundred events,
/// so a large page never sits in memory whole.
/// </summary>
internal static class Paging
{
    private const int FlushEvery = 256;

    /// <summary>
    /// Streams <paramref name="events"/> to the response, skipping those the caller may not see; <paramref name="next"/>
    /// turns the last event read (null: none) and the count read into the <c>next</c> cursor.
    /// </summary>
    public static async Task WriteAsync(HttpContext context, Caller caller, IAsyncEnumerable<RecordedEvent> events, Func<RecordedEvent?, int, long?> next)
    {
        var response = context.Response;
        response.ContentType = "application/json; charset=utf-8";
        var pipe = response.BodyWriter;
        using var writer = new Utf8JsonWriter(pipe);
        writer.WriteStartObject();
        writer.WriteStartArray("events");
        RecordedEvent? last = null;
        var read = 0;
        var pending = 0;
        await foreach (var e in events.WithCancellation(context.RequestAborted).ConfigureAwait(false))
        {
            last = e;
            read++;
            if (!caller.CanSee(e.StreamId))
            {
                continue;
            }

            EventJson.Write(writer, e);
            if (++pending >= FlushEvery)
            {
                pending = 0;
                await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                await pipe.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }

        writer.WriteEndArray();
        if (next(last, read) is { } cursor)
        {
            writer.WriteNumber("next", cursor);
        }
        else
        {
            writer.WriteNull("next");
        }

        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
