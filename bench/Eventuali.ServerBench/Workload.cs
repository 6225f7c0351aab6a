using System.Net.Http.Headers;
using System.Text;

namespace Eventuali.ServerBench;

/// <summary>The events both sides write: batches of 50 small JSON events, as EventData in process and as an HTTP body.</summary>
internal static class Workload
{
    public const int BatchSize = 50;

    private static string Payload(int i) => $$"""{"sku":"sku-{{i % 997}}","quantity":{{i % 7 + 1}},"price":{{i % 100}}.99,"note":"added from the bench"}""";

    public static EventData[] Batch(int seed)
    {
        var batch = new EventData[BatchSize];
        for (var i = 0; i < BatchSize; i++)
        {
            batch[i] = new EventData(EventData.NewEventId(), "item-added", Encoding.UTF8.GetBytes(Payload(seed + i)), null, ContentTypes.Json);
        }

        return batch;
    }

    /// <summary>The same 50 events as an append body; ids left to the server, as the in-process side draws new ones.</summary>
    public static byte[] Body(int seed)
    {
        var text = new StringBuilder("[");
        for (var i = 0; i < BatchSize; i++)
        {
            text.Append(i == 0 ? "" : ",").Append("""{"type":"item-added","data":""").Append(Payload(seed + i)).Append('}');
        }

        return Encoding.UTF8.GetBytes(text.Append(']').ToString());
    }

    public static async Task<long> PostAsync(HttpClient http, string stream, byte[] body, CancellationToken cancellationToken = default)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri("streams/" + stream, UriKind.Relative), content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Append to {stream} answered {(int)response.StatusCode}: {text}");
        }

        using var json = System.Text.Json.JsonDocument.Parse(text);
        return json.RootElement.GetProperty("lastPosition").GetInt64();
    }
}
