using Eventuali.InMemory;

namespace Eventuali.Tests;

/// <summary>EventStore.CreateAsync: every built-in backend from a URL, and one clear error for anything else.</summary>
public sealed class StoreUrlTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eventuali-url-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Memory_url_opens_the_in_memory_store()
    {
        await using var store = await EventStore.CreateAsync("memory://", cancellationToken: Ct);
        Assert.IsType<InMemoryEventStore>(store);
    }

    [Theory]
    [InlineData("sqlite://:memory:")]
    [InlineData("SQLITE://:memory:")]
    public async Task Sqlite_memory_url_opens_a_working_store(string url)
    {
        await using var store = await EventStore.CreateAsync(url, cancellationToken: Ct);
        var result = await store.AppendAsync("s-1", ExpectedVersion.NoStream, [EventData.Json("t", "{}")], Ct);
        Assert.Equal(1, result.StreamVersion);
    }

    [Fact]
    public async Task Sqlite_file_url_creates_the_file_and_finds_it_again()
    {
        var path = Path.Combine(_dir, "events.db");
        await using (var store = await EventStore.CreateAsync($"sqlite://{path}", cancellationToken: Ct))
        {
            await store.AppendAsync("s-1", ExpectedVersion.NoStream, [EventData.Json("t", """{"a":1}""")], Ct);
        }

        Assert.True(File.Exists(path));
        await using var reopened = await EventStore.CreateAsync($"sqlite://{path}", cancellationToken: Ct);
        Assert.Equal(1, await reopened.GetStreamVersionAsync("s-1", Ct));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("events.db", "no scheme")]
    [InlineData("mysql://root:secret@localhost/events", "Unknown store URL scheme 'mysql'")]
    [InlineData("memory://extra", "takes nothing after the scheme")]
    public async Task Bad_urls_fail_with_one_configuration_error_naming_the_part(string url, string expected)
    {
        var ex = await Assert.ThrowsAsync<EventStoreConfigurationException>(() => EventStore.CreateAsync(url, cancellationToken: Ct).AsTask());
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_directory_is_named()
    {
        var path = Path.Combine(_dir, "no-such-dir", "events.db");
        var ex = await Assert.ThrowsAsync<EventStoreConfigurationException>(() => EventStore.CreateAsync($"sqlite://{path}", cancellationToken: Ct).AsTask());
        Assert.Contains("no-such-dir", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_a_store_is_refused_and_left_unchanged()
    {
        var path = Path.Combine(_dir, "notes.db");
        await File.WriteAllTextAsync(path, "these are my notes, not a database", Ct);
        var ex = await Assert.ThrowsAsync<EventStoreConfigurationException>(() => EventStore.CreateAsync($"sqlite://{path}", cancellationToken: Ct).AsTask());
        Assert.Contains("notes.db", ex.Message, StringComparison.Ordinal);
        Assert.Equal("these are my notes, not a database", await File.ReadAllTextAsync(path, Ct));
    }

    [Theory]
    [InlineData("postgresql://app:s3cr%40t@db.example:5432/events", "postgresql://app:***@db.example:5432/events")]
    [InlineData("sqlite://events.db", "sqlite://events.db")]
    [InlineData("Host=db;Username=app;Password=s3cret;Database=events", "Host=db;Username=app;Password=***;Database=events")]
    [InlineData("host=db;pwd = s3cret", "host=db;pwd=***")]
    public void Redacted_urls_never_show_the_password(string url, string expected)
        => Assert.Equal(expected, EventStore.RedactUrl(url));

    [Fact]
    public async Task Keyword_connection_string_goes_to_postgresql_and_an_unreachable_server_is_named_without_the_password()
    {
        // Port 1 on loopback: nothing listens there, so the PostgreSQL backend reports the host and port.
        var ex = await Assert.ThrowsAnyAsync<EventualiException>(() => EventStore.CreateAsync("Host=127.0.0.1;Port=1;Username=app;Password=s3cret;Database=events;Timeout=3", cancellationToken: Ct).AsTask());
        Assert.Contains("127.0.0.1", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", ex.ToString(), StringComparison.Ordinal);
    }
}
