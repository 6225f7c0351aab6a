using System.Text.Json;

namespace Eventuali.Server.Tests;

internal sealed record SseEvent(long Id, string StreamId, long Version, string Type);

/// <summary>A small server-sent events reader over a real HTTP response (what a non-.NET client would do).</summary>
internal static class Sse
{
    /// <summary>Reads until <paramref name="count"/> events arrived, then disconnects; fails past <paramref name="deadline"/>.</summary>
    public static async Task<List<SseEvent>> ReadAsync(HttpClient client, string path, int count, TimeSpan deadline, string? lastEventId = null)
    {
        using var timeout = new CancellationTokenSource(deadline);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
        using var reader = new StreamReader(body);
        var events = new List<SseEvent>();
        long? id = null;
        while (events.Count < count)
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("The server ended the event stream.");
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var data = JsonDocument.Parse(line[6..]).RootElement;
                Assert.Equal(id, data.GetProperty("position").GetInt64());
                events.Add(new SseEvent(id!.Value, data.GetProperty("streamId").GetString()!, data.GetProperty("version").GetInt64(), data.GetProperty("type").GetString()!));
            }
        }

        return events;
    }
}
