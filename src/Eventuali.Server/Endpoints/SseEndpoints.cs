using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using Eventuali.Server.Access;
using Eventuali.Subscriptions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Eventuali.Server.Endpoints;

/// <summary>
/// Live subscriptions as server-sent events. Each event's SSE id is its global position; a client that reconnects with
/// <c>Last-Event-ID</c> resumes just after it. Delivery rides the store's catch-up subscription, which never skips
/// and never repeats, so a reconnect loses and duplicates nothing. Events outside the caller's scope are never sent.
/// On the server's own store, <c>/subscribe/all</c> connections that have caught up share one live subscription
/// (<see cref="LiveTail"/>).
/// </summary>
internal static class SseEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/subscribe/all", SubscribeAllAsync)
            .WithName("SubscribeAll").WithSummary("Server-sent events: the global log from a position (or after Last-Event-ID), then live")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream").ProducesProblem(400).ProducesProblem(401).ProducesProblem(403);
        routes.MapGet("/subscribe/streams/{id}", SubscribeStreamAsync)
            .WithName("SubscribeStream").WithSummary("Server-sent events: one stream from a version (or after the position in Last-Event-ID), then live")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream").ProducesProblem(400).ProducesProblem(401).ProducesProblem(403);
    }

    private static Task SubscribeAllAsync(HttpContext context, string? from, string? category, string? type)
    {
        var server = ServerContext.Of(context);
        return server.RunAsync(context, "subscribe-all", ApiRole.Read, null, async caller =>
        {
            var (ok, after) = await AfterAsync(context, from).ConfigureAwait(false);
            if (!ok)
            {
                return;
            }

            var prefix = caller.NarrowPrefix(category);
            var events = prefix is null
                ? Never(context.RequestAborted)
                : server.SharedTail is { } tail
                    ? tail.SubscribeAsync(after, LogEndpoints.Filter(prefix, type), context.RequestAborted)
                    : server.Store.SubscribeToAllAsync(after, LogEndpoints.Filter(prefix, type), context.RequestAborted);
            await PumpAsync(context, caller, server, events).ConfigureAwait(false);
        });
    }

    private static Task SubscribeStreamAsync(HttpContext context, string id, string? from)
    {
        var server = ServerContext.Of(context);
        return server.RunAsync(context, "subscribe-stream", ApiRole.Read, id, async caller =>
        {
            long afterVersion;
            if (LastEventId(context) is { } text)
            {
                var (ok, position) = await Query.LongAsync(context, "Last-Event-ID", text, 0, 0).ConfigureAwait(false);
                if (!ok)
                {
                    return;
                }

                afterVersion = await VersionAtAsync(server.Store, id, position, context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                var (ok, start) = await Query.LongAsync(context, "from", from, 1, 1).ConfigureAwait(false);
                if (!ok)
                {
                    return;
                }

                afterVersion = start - 1;
            }

            await PumpAsync(context, caller, server, server.Store.SubscribeToStreamAsync(id, afterVersion, context.RequestAborted)).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// Where to start: just after Last-Event-ID when the client sends one, else at <c>from</c> (default 1; <c>end</c>:
    /// only events appended from now on).
    /// </summary>
    private static async ValueTask<(bool Ok, long After)> AfterAsync(HttpContext context, string? from)
    {
        if (LastEventId(context) is { } text)
        {
            return await Query.LongAsync(context, "Last-Event-ID", text, 0, 0).ConfigureAwait(false);
        }

        if (string.Equals(from, "end", StringComparison.Ordinal))
        {
            return (true, await ServerContext.Of(context).Store.GetHeadPositionAsync(context.RequestAborted).ConfigureAwait(false));
        }

        var (ok, start) = await Query.LongAsync(context, "from", from, 1, 1).ConfigureAwait(false);
        return (ok, start - 1);
    }

    private static string? LastEventId(HttpContext context)
        => context.Request.Headers.TryGetValue("Last-Event-ID", out var value) && value.Count > 0 && !string.IsNullOrWhiteSpace(value[0]) ? value[0]!.Trim() : null;

    /// <summary>The version of the stream's last event at or below global position <paramref name="position"/> (0: none).</summary>
    private static async ValueTask<long> VersionAtAsync(IEventStore store, string id, long position, CancellationToken cancellationToken)
    {
        // Reconnects resume near the end, so walking back from the newest event is short.
        await foreach (var e in store.ReadStreamAsync(id, StreamVersion.End, int.MaxValue, ReadDirection.Backward, cancellationToken).ConfigureAwait(false))
        {
            if (e.Position <= position)
            {
                return e.StreamVersion;
            }
        }

        return 0;
    }

    private static async IAsyncEnumerable<RecordedEvent> Never([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        yield break;
    }

    private static ReadOnlySpan<byte> IdPrefix => "id: "u8;
    private static ReadOnlySpan<byte> DataPrefix => "\ndata: "u8;
    private static ReadOnlySpan<byte> EventEnd => "\n\n"u8;
    private static ReadOnlySpan<byte> Heartbeat => ": keep-alive\n\n"u8;

    /// <summary>Events written between flushes at most while the next one is already at hand.</summary>
    private const int FlushEvery = 256;

    /// <summary>
    /// Writes events as they come, flushing whenever the next one is not already at hand (so a burst goes out in large
    /// writes and a lone live event goes out at once) and after every <see cref="FlushEvery"/> events, with a comment
    /// line when idle for the heartbeat interval. The bounded batch matters for a store whose reads complete
    /// synchronously (SQLite): without it a catch-up never awaited a flush, so the whole backlog piled up in the
    /// response pipe (and stayed in Kestrel's memory pool) instead of waiting for a slow client.
    /// </summary>
    private static async Task PumpAsync(HttpContext context, Caller caller, ServerContext server, IAsyncEnumerable<RecordedEvent> events)
    {
        var response = context.Response;
        var aborted = context.RequestAborted;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var pipe = response.BodyWriter;
        pipe.Write(Heartbeat);
        await pipe.FlushAsync(aborted).ConfigureAwait(false);

        using var json = new Utf8JsonWriter(pipe);
        var enumerator = events.GetAsyncEnumerator(aborted);
        await using var _ = enumerator.ConfigureAwait(false);
        var unflushed = 0;
        try
        {
            while (true)
            {
                if (unflushed >= FlushEvery)
                {
                    // Awaited: a client slower than the store holds the pump here instead of growing the buffer.
                    await pipe.FlushAsync(aborted).ConfigureAwait(false);
                    unflushed = 0;
                }

                var move = enumerator.MoveNextAsync();
                bool more;
                if (move.IsCompleted)
                {
                    more = move.GetAwaiter().GetResult();
                }
                else
                {
                    await pipe.FlushAsync(aborted).ConfigureAwait(false);
                    unflushed = 0;
                    var pending = move.AsTask();
                    await WaitWithHeartbeatAsync(pending, pipe, server, aborted).ConfigureAwait(false);
                    more = await pending.ConfigureAwait(false);
                }

                if (!more)
                {
                    break;
                }

                var e = enumerator.Current;
                if (!caller.CanSee(e.StreamId))
                {
                    continue;
                }

                Write(pipe, json, e);
                unflushed++;
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client disconnected: the subscription ends with the request.
        }
    }

    private static async Task WaitWithHeartbeatAsync(Task<bool> pending, PipeWriter pipe, ServerContext server, CancellationToken aborted)
    {
        // One timed wait per idle gap: a live event wakes a thousand connections at once, so no token source, delay
        // task or WhenAny is made per wake-up; only a timeout (an idle heartbeat interval) costs an exception.
        while (true)
        {
            try
            {
                await pending.WaitAsync(server.Options.SseHeartbeat, server.Clock, aborted).ConfigureAwait(false);
                return;
            }
            catch (TimeoutException) when (!pending.IsFaulted)
            {
                pipe.Write(Heartbeat);
                await pipe.FlushAsync(aborted).ConfigureAwait(false);
            }
        }
    }

    private static void Write(PipeWriter pipe, Utf8JsonWriter json, RecordedEvent e)
    {
        pipe.Write(IdPrefix);
        Span<byte> digits = stackalloc byte[20];
        e.Position.TryFormat(digits, out var n, default, CultureInfo.InvariantCulture);
        pipe.Write(digits[..n]);
        pipe.Write(DataPrefix);
        json.Reset(pipe);
        EventJson.Write(json, e);
        json.Flush();
        pipe.Write(EventEnd);
    }
}
