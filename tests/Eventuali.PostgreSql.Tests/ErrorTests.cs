namespace Eventuali.PostgreSql.Tests;

/// <summary>Connection and configuration failures read clearly and never show the password.</summary>
public sealed class ErrorTests : IAsyncLifetime
{
    private const string Secret = "s3cr3t-Pa55word-xyz";
    private readonly PostgreSqlStoreFixture _stores = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _stores.DisposeAsync();

    private static Uri Server => new(PgTestServer.Url);

    private static async Task<T> OpenFailsAsync<T>(string url)
        where T : Exception
    {
        var ex = await Assert.ThrowsAsync<T>(async () => await PostgreSqlEventStore.OpenAsync(url, EventStoreOptions.Default, TestContext.Current.CancellationToken));
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
        return ex;
    }

    [Fact]
    public async Task Unreachable_server_names_host_and_port()
    {
        await PgTestServer.UrlAsync();
        var ex = await OpenFailsAsync<EventStoreUnavailableException>($"postgresql://eventuali:{Secret}@127.0.0.1:1/eventuali");
        Assert.Contains("127.0.0.1:1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_names_the_user_and_not_the_password()
    {
        await PgTestServer.UrlAsync();
        var ex = await OpenFailsAsync<EventStoreUnavailableException>($"postgresql://eventuali:{Secret}@{Server.Host}:{Server.Port}/eventuali");
        Assert.Contains("'eventuali'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("authentication failed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_database_is_named()
    {
        var url = await PgTestServer.UrlAsync();
        var ex = await OpenFailsAsync<EventStoreConfigurationException>(url[..url.LastIndexOf('/')] + "/no_such_database_42");
        Assert.Contains("no_such_database_42", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Permission_denied_names_the_object()
    {
        var url = await PgTestServer.UrlAsync();

        // The postgres database is not the test role's: it may not create a schema there.
        var other = await OpenFailsAsync<EventStoreConfigurationException>(url[..url.LastIndexOf('/')] + "/postgres?schema=t_denied");
        Assert.Contains("permission denied for database postgres", other.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schema_from_a_newer_version_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        var url = await _stores.OpenUrlAsync("newer");
        await (await PostgreSqlEventStore.OpenAsync(url, EventStoreOptions.Default, ct)).DisposeAsync();
        await using (var raw = await PgTestServer.RawAsync())
        {
            await using var cmd = raw.CreateCommand($"UPDATE \"{url[(url.LastIndexOf('=') + 1)..]}\".meta SET schema_version = 99");
            await cmd.ExecuteNonQueryAsync(ct);
        }

        var ex = await OpenFailsAsync<EventStoreConfigurationException>(url);
        Assert.Contains("newer", ex.Message, StringComparison.Ordinal);
        Assert.Contains("99", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("information_schema")]
    [InlineData("pg_catalog")]
    [InlineData("pg_toast")]
    [InlineData("pg_anything")]
    public async Task Reserved_schema_names_are_refused_like_other_invalid_names(string schema)
    {
        var url = await PgTestServer.UrlAsync();
        var ex = await OpenFailsAsync<EventStoreConfigurationException>(PgTestServer.WithSchema(url, schema));
        Assert.StartsWith($"Schema name '{schema}' is not accepted: it is reserved by PostgreSQL", ex.Message, StringComparison.Ordinal);

        // Nothing was installed there.
        await using var raw = await PgTestServer.RawAsync();
        await using var cmd = raw.CreateCommand("SELECT count(*) FROM pg_tables WHERE schemaname = $1 AND tablename IN ('events', 'streams', 'meta')");
        cmd.Parameters.AddWithValue(schema);
        Assert.Equal(0L, await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("postgresql://u:p@h/db?schema=Bad-Name", "Bad-Name")]
    [InlineData("postgresql://u:p@h/db?schema=1abc", "1abc")]
    [InlineData("postgresql://u:p@h/db?frobnicate=1", "frobnicate")]
    [InlineData("postgresql://u:p@h:99999/db", "99999")]
    [InlineData("Host=h;Username=u;Password=p;Bogus=1", "Bogus")]
    public async Task Bad_settings_are_named(string url, string named)
    {
        var ex = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await PostgreSqlEventStore.OpenAsync(url, EventStoreOptions.Default, TestContext.Current.CancellationToken));
        Assert.Contains(named, ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(":p@", ex.Message, StringComparison.Ordinal);
    }
}
