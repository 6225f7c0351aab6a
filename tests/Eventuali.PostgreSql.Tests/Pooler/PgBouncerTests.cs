using Eventuali.Projections;
using Eventuali.Subscriptions;

namespace Eventuali.PostgreSql.Tests;

/// <summary>
/// The store behind PgBouncer in transaction mode: the settings it takes, and polling and refused leases when no
/// direct server is named.
/// </summary>
public sealed class PgBouncerTests : IAsyncLifetime
{
    private readonly List<string> _schemas = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Pooler_settings_disable_server_prepared_statements_and_keep_sessions_on_the_direct_server()
    {
        var settings = PgSettings.Parse("postgresql://u:secret@bouncer:6432/db?pooler=transaction&direct=pg1:5432,pg2:5433&target=primary", EventStoreOptions.Default);
        Assert.True(settings.BehindPooler);
        Assert.Equal(0, settings.Builder.MaxAutoPrepare);
        Assert.True(settings.Builder.NoResetOnClose);
        Assert.True(string.IsNullOrEmpty(settings.Builder.Options));
        Assert.Equal("bouncer", settings.Builder.Host);
        Assert.Equal("pg1:5432,pg2:5433", settings.SessionBuilder!.Host);
        Assert.Equal("primary", settings.SessionBuilder.TargetSessionAttributes);
        Assert.Contains("synchronous_commit=on", settings.SessionBuilder.Options, StringComparison.Ordinal);

        var keywords = PgSettings.Parse("Host=bouncer;Port=6432;Username=u;Password=secret;Database=db;Pooler=transaction", EventStoreOptions.Default);
        Assert.True(keywords.BehindPooler);
        Assert.Null(keywords.SessionBuilder);

        var plain = PgSettings.Parse("postgresql://u:secret@pg1/db", EventStoreOptions.Default);
        Assert.False(plain.BehindPooler);
        Assert.Same(plain.Builder, plain.SessionBuilder);
    }

    [Theory]
    [InlineData("pooler=session", "'pooler' must be 'transaction'")]
    [InlineData("direct=pg1:5432", "set 'pooler=transaction' as well")]
    [InlineData("pooler=transaction&direct=pg1:notaport", "'direct' must be host:port")]
    [InlineData("pooler=transaction&options=-c%20work_mem%3D4MB", "PgBouncer refuses startup options")]
    public void Bad_pooler_settings_are_refused_naming_what_is_wrong(string query, string expected)
    {
        var ex = Assert.Throws<EventStoreConfigurationException>(() => PgSettings.Parse("postgresql://u:secret@bouncer:6432/db?" + query, EventStoreOptions.Default));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Relaxed_durability_is_refused_behind_a_pooler()
    {
        var ex = Assert.Throws<EventStoreConfigurationException>(() => PgSettings.Parse(
            "postgresql://u:secret@bouncer:6432/db?pooler=transaction", EventStoreOptions.Default with { Durability = Durability.Relaxed }));
        Assert.Contains("synchronous_commit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_direct_server_subscriptions_poll_and_leases_are_refused_clearly()
    {
        await using var store = await OpenAsync(PgBouncerServer.UrlWithoutDirect);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        var received = new List<RecordedEvent>();
        var reading = Task.Run(async () =>
        {
            await foreach (var e in store.SubscribeToAllAsync(0, cancellationToken: cts.Token))
            {
                received.Add(e);
                if (received.Count == 3)
                {
                    return;
                }
            }
        }, Ct);
        for (var i = 0; i < 3; i++)
        {
            await store.AppendAsync($"polled-{i}", ExpectedVersion.NoStream, [TestEvents.Json("placed")], Ct);
        }

        await reading; // cancelled (a failure) if polling never delivered them
        Assert.Equal(["polled-0", "polled-1", "polled-2"], received.Select(e => e.StreamId));

        var refused = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await store.GetProjectionStore().TryAcquireProjectionAsync("p", "node-a", Ct));
        Assert.Contains("direct=host:port", refused.Message, StringComparison.Ordinal);
    }

    private async Task<IEventStore> OpenAsync(string url)
    {
        await PgTestServer.UrlAsync();
        var schema = PgTestServer.NewSchemaName("bouncer");
        _schemas.Add(schema);
        return await PostgreSqlEventStore.OpenAsync(PgTestServer.WithSchema(url, schema), EventStoreOptions.Default, Ct);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var schema in _schemas)
        {
            await PgTestServer.DropSchemaAsync(schema);
        }
    }
}
