using System.Text.Json;

namespace Dashboard;

/// <summary>Reads the server's SSE feed over HTTP and computes the dashboard's figures from it, as a browser would.</summary>
internal sealed class SseFeed(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };
    private readonly Lock _gate = new();
    private readonly List<string> _types = [];
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastPosition;

    public Figures Figures { get; } = new();

    public bool PositionsIncrease { get; private set; } = true;

    public IReadOnlyList<string> Types
    {
        get
        {
            lock (_gate)
            {
                return [.. _types];
            }
        }
    }

    /// <summary>Reads events until cancelled; a feed that ends or fails early is reported by <see cref="WaitForAsync"/>.</summary>
    public async Task ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    Apply(JsonDocument.Parse(line[6..]).RootElement);
                }
            }

            _ended.TrySetException(new InvalidOperationException("the server ended the event stream"));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _ended.TrySetResult();
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException)
        {
            _ended.TrySetException(ex);
        }
    }

    /// <summary>Waits until <paramref name="count"/> events arrived; throws when the feed failed or the deadline passed.</summary>
    public async Task WaitForAsync(int count, DateTimeOffset deadline)
    {
        while (Figures.Events < count)
        {
            if (_ended.Task.IsCompleted)
            {
                await _ended.Task;
                throw new InvalidOperationException($"the feed stopped after {Figures.Events} of {count} events");
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"the feed delivered {Figures.Events} of {count} events before the deadline");
            }

            await Task.WhenAny(_ended.Task, Task.Delay(50)); // poll interval while the feed catches up
        }
    }

    private void Apply(JsonElement e)
    {
        var position = e.GetProperty("position").GetInt64();
        var type = e.GetProperty("type").GetString()!;
        var data = e.GetProperty("data").GetRawText();
        object? typed = type switch
        {
            "shop.order-placed" => JsonSerializer.Deserialize<OrderPlaced>(data, Json),
            "shop.order-cancelled" => JsonSerializer.Deserialize<OrderCancelled>(data, Json),
            _ => null,
        };
        lock (_gate)
        {
            PositionsIncrease &= position > _lastPosition;
            _lastPosition = position;
            _types.Add(type);
            Figures.Apply(typed ?? type, position);
        }
    }
}
