namespace Eventuali.Sqlite.Tests;

/// <summary>
/// A fresh store file in its own temporary directory, deleted (with its -wal and -shm files) on dispose.
/// Conformance enrollment creates one per test: <c>await using var temp = new TempSqliteStore(); var store = await temp.OpenAsync();</c>.
/// </summary>
public sealed class TempSqliteStore : IAsyncDisposable
{
    private readonly List<IEventStore> _opened = [];

    public TempSqliteStore()
    {
        Directory = Path.Combine(Path.GetTempPath(), "eventuali-sqlite-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        FilePath = Path.Combine(Directory, "events.db");
    }

    public string Directory { get; }

    public string FilePath { get; }

    /// <summary>Opens (or reopens) the store; every store opened here is disposed with this object.</summary>
    public async Task<IEventStore> OpenAsync(EventStoreOptions? options = null, string query = "")
    {
        var store = await SqliteEventStore.OpenAsync(FilePath + query, options ?? new EventStoreOptions { Durability = Durability.Relaxed }, TestContext.Current.CancellationToken);
        _opened.Add(store);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold the file for a moment; the temp directory is cleaned by the OS.
        }
    }
}
