namespace Eventuali.OpenTelemetry.Tests;

/// <summary>A store of each embedded kind, in a scratch directory removed afterwards.</summary>
internal sealed class Stores : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eventuali-otel-").FullName;
    private readonly List<IEventStore> _open = [];

    /// <summary>The scratch directory (SQLite files live here).</summary>
    public string Dir => _dir;

    public async Task<IEventStore> OpenAsync(string kind, EventStoreOptions? options = null)
    {
        var url = kind switch
        {
            "memory" => "memory://",
            "sqlite" => $"sqlite://{Path.Combine(_dir, "events.db")}",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "memory or sqlite"),
        };
        var store = await EventStore.CreateAsync(url, options, TestContext.Current.CancellationToken);
        _open.Add(store);
        return store;
    }

    /// <summary>A category no other test uses, so a test finds its own spans by name.</summary>
    public static string NewCategory() => "c" + Guid.NewGuid().ToString("N")[..10];

    public static EventData Event(string type = "Happened") => EventData.Json(type, """{"n":1}""");

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _open)
        {
            await store.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }
}
