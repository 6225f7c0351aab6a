using System.Text;
using Eventuali.Tenancy;

namespace Eventuali.Sqlite.Tests.Tenancy;

/// <summary>File-per-tenant SQLite: the bounded cache of open files, the registry's typed errors and the two-step purge (isolation: <see cref="SqliteTenantIsolationTests"/>).</summary>
public sealed class SqliteTenantFactoryTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "eventuali-tenancy-tests", Guid.NewGuid().ToString("N"));
    private readonly TenantId _a = TenantId.Parse("a");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Open_files_stay_within_the_cache_and_a_held_store_is_never_closed()
    {
        await using var factory = await OpenAsync("&cache=3");
        var held = TenantId.Parse("t-held");
        await factory.CreateTenantAsync(held, Ct);
        var holding = await factory.GetStoreAsync(held, Ct);
        await holding.AppendAsync("s", ExpectedVersion.NoStream, [Event("first")], Ct);

        var max = 0;
        for (var i = 0; i < 40; i++)
        {
            var tenant = TenantId.Parse($"t-{i}");
            await factory.CreateTenantAsync(tenant, Ct);
            await using (var store = await factory.GetStoreAsync(tenant, Ct))
            {
                await store.AppendAsync("s", ExpectedVersion.Any, [Event("x")], Ct);
                max = Math.Max(max, factory.OpenStoreCount);
            }
        }

        // The cache holds 3 (plus the one just opened while the held one pins its slot): never 40.
        Assert.InRange(max, 1, 4);
        Assert.InRange(factory.OpenStoreCount, 1, 3);

        // The held store survived every eviction round and still works.
        await holding.AppendAsync("s", ExpectedVersion.Exact(1), [Event("second")], Ct);
        Assert.Equal(["first", "second"], await TypesAsync(holding.ReadStreamAsync("s", cancellationToken: Ct)));
        await holding.DisposeAsync();

        // Reopened after eviction, every tenant still has its event.
        await using var again = await factory.GetStoreAsync(TenantId.Parse("t-0"), Ct);
        Assert.Equal(1, await again.GetHeadPositionAsync(Ct));
    }

    [Fact]
    public async Task Unknown_and_suspended_tenants_are_refused_and_creating_is_idempotent()
    {
        await using var factory = await OpenAsync();
        await Assert.ThrowsAsync<UnknownTenantException>(async () => await factory.GetStoreAsync(_a, Ct));
        await Assert.ThrowsAsync<MissingTenantContextException>(async () => await factory.GetStoreAsync(default, Ct));

        var first = await factory.CreateTenantAsync(_a, Ct);
        Assert.Equal(first, await factory.CreateTenantAsync(TenantId.Parse("A"), Ct));
        await factory.SetSuspendedAsync(_a, true, Ct);
        var e = await Assert.ThrowsAsync<TenantSuspendedException>(async () => await factory.GetStoreAsync(_a, Ct));
        Assert.Equal(_a, e.Tenant);

        // Another process (another factory on the same directory) sees the suspension and the resume.
        await using (var other = await OpenAsync())
        {
            await Assert.ThrowsAsync<TenantSuspendedException>(async () => await other.GetStoreAsync(_a, Ct));
            await other.SetSuspendedAsync(_a, false, Ct);
        }

        await using var store = await factory.GetStoreAsync(_a, Ct);
        Assert.Equal([new TenantInfo(_a, false, first.CreatedAt)], await factory.ListTenantsAsync(Ct));
    }

    [Fact]
    public async Task Deleting_takes_two_steps_and_leaves_an_audit_trail()
    {
        await using var factory = await OpenAsync();
        await factory.CreateTenantAsync(_a, Ct);
        await using (var store = await factory.GetStoreAsync(_a, Ct))
        {
            await store.AppendAsync("s", ExpectedVersion.NoStream, [Event("x")], Ct);
        }

        await Assert.ThrowsAsync<TenantDeletionException>(async () => await factory.PurgeTenantAsync(_a, "guess", Ct));
        var token = await factory.RequestDeletionAsync(_a, Ct);
        Assert.Equal(token, await factory.RequestDeletionAsync(_a, Ct));
        await Assert.ThrowsAsync<TenantSuspendedException>(async () => await factory.GetStoreAsync(_a, Ct));
        Assert.True((await factory.ListTenantsAsync(Ct)).Single().DeletionRequested);

        var wrong = await Assert.ThrowsAsync<TenantDeletionException>(async () => await factory.PurgeTenantAsync(_a, "0000000000000000", Ct));
        Assert.DoesNotContain(token, wrong.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(factory.FileOf(_a)));

        await factory.PurgeTenantAsync(_a, token, Ct);
        Assert.False(File.Exists(factory.FileOf(_a)));
        Assert.Empty(await factory.ListTenantsAsync(Ct));
        await Assert.ThrowsAsync<UnknownTenantException>(async () => await factory.GetStoreAsync(_a, Ct));
        Assert.Equal(["created", "deletion-requested", "purged"], (await factory.ReadAuditAsync(Ct)).Select(r => r.Action));

        // Re-creating the id starts empty.
        await factory.CreateTenantAsync(_a, Ct);
        await using var fresh = await factory.GetStoreAsync(_a, Ct);
        Assert.Equal(0, await fresh.GetHeadPositionAsync(Ct));
    }

    [Fact]
    public async Task Resuming_cancels_a_requested_deletion_and_a_held_store_blocks_the_purge()
    {
        await using var factory = await OpenAsync();
        await factory.CreateTenantAsync(_a, Ct);
        var holding = await factory.GetStoreAsync(_a, Ct);
        var token = await factory.RequestDeletionAsync(_a, Ct);
        await Assert.ThrowsAsync<TenantDeletionException>(async () => await factory.PurgeTenantAsync(_a, token, Ct));
        await holding.DisposeAsync();

        await factory.SetSuspendedAsync(_a, false, Ct);
        Assert.False((await factory.ListTenantsAsync(Ct)).Single().DeletionRequested);
        await Assert.ThrowsAsync<TenantDeletionException>(async () => await factory.PurgeTenantAsync(_a, token, Ct));
        Assert.Contains("deletion-cancelled", (await factory.ReadAuditAsync(Ct)).Select(r => r.Action));
    }

    [Theory]
    [InlineData("?tenancy=schema")]
    [InlineData("?tenancy=file&colour=red")]
    [InlineData("?tenancy=file&cache=0")]
    public async Task Bad_tenancy_urls_are_refused_with_what_was_wrong(string query)
    {
        var e = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await SqliteTenantStoreFactory.OpenAsync(_directory + "/" + query, EventStoreOptions.Default, cancellationToken: Ct));
        Assert.Matches("tenancy mode|Unknown option|cache", e.Message);
    }

    private ValueTask<SqliteTenantStoreFactory> OpenAsync(string extra = "")
        => SqliteTenantStoreFactory.OpenAsync(_directory + "/?tenancy=file&durability=relaxed" + extra, EventStoreOptions.Default, cancellationToken: Ct);

    private static EventData Event(string type) => new(EventData.NewEventId(), type, Encoding.UTF8.GetBytes("{}"));

    private static async Task<List<string>> TypesAsync(IAsyncEnumerable<RecordedEvent> events)
    {
        var types = new List<string>();
        await foreach (var e in events)
        {
            types.Add(e.EventType);
        }

        return types;
    }
}
