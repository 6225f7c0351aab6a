namespace Eventuali.PostgreSql.Tests;

/// <summary>
/// Fresh stores on the test server, each in its own new schema, dropped when the fixture is disposed.
/// The conformance suite enrolls through <see cref="CreateStoreAsync"/>.
/// </summary>
public sealed class PostgreSqlStoreFixture : IAsyncDisposable
{
    private readonly List<string> _schemas = [];
    private readonly Lock _gate = new();

    /// <param name="urlQuery">Extra URL query parameters, e.g. <c>append_batches=1</c>.</param>
    public async Task<PostgreSqlEventStore> CreateStoreAsync(EventStoreOptions? options = null, string purpose = "store", string? urlQuery = null)
    {
        var url = await PgTestServer.UrlAsync();
        var schema = PgTestServer.NewSchemaName(purpose);
        lock (_gate)
        {
            _schemas.Add(schema);
        }

        var storeUrl = PgTestServer.WithSchema(url, schema) + (urlQuery is null ? string.Empty : "&" + urlQuery);
        return await PostgreSqlEventStore.OpenStoreAsync(storeUrl, options ?? EventStoreOptions.Default, TestContext.Current.CancellationToken);
    }

    public async Task<string> OpenUrlAsync(string purpose)
    {
        var url = await PgTestServer.UrlAsync();
        var schema = PgTestServer.NewSchemaName(purpose);
        lock (_gate)
        {
            _schemas.Add(schema);
        }

        return PgTestServer.WithSchema(url, schema);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var schema in _schemas)
        {
            await PgTestServer.DropSchemaAsync(schema);
        }
    }
}
