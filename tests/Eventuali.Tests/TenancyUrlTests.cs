using System.Text;
using Eventuali.Tenancy;

namespace Eventuali.Tests;

/// <summary>The URL forms of file-per-tenant SQLite: the whole directory, one tenant's store, and the mistakes.</summary>
public sealed class TenancyUrlTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "eventuali-url-tenancy", Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Url => "sqlite://" + _directory + "/?tenancy=file";

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task One_tenant_opens_through_the_url_and_sees_only_its_own_events()
    {
        await using (var tenants = await EventStore.OpenTenantsAsync(Url, cancellationToken: Ct))
        {
            await tenants.CreateTenantAsync(TenantId.Parse("acme"), Ct);
            await tenants.CreateTenantAsync(TenantId.Parse("globex"), Ct);
        }

        await using (var acme = await EventStore.CreateAsync(Url + "&tenant=Acme", cancellationToken: Ct))
        {
            await acme.AppendAsync("order-1", ExpectedVersion.NoStream, [new EventData(EventData.NewEventId(), "placed", Encoding.UTF8.GetBytes("{}"))], Ct);
        }

        await using var globex = await EventStore.OpenExistingAsync(Url + "&tenant=globex", cancellationToken: Ct);
        Assert.Equal(0, await globex.GetHeadPositionAsync(Ct));
        await using var again = await EventStore.OpenExistingAsync(Url + "&tenant=acme", cancellationToken: Ct);
        Assert.Equal(1, await again.GetHeadPositionAsync(Ct));
    }

    [Fact]
    public async Task Mistakes_are_refused_with_what_was_wrong()
    {
        var noTenant = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await EventStore.CreateAsync(Url, cancellationToken: Ct));
        Assert.Contains("--tenant", noTenant.Message, StringComparison.Ordinal);

        var notMulti = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await EventStore.CreateAsync("sqlite://" + _directory + "/x.db?tenant=acme", cancellationToken: Ct));
        Assert.Contains("not a multi-tenant store", notMulti.Message, StringComparison.Ordinal);

        var missing = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await EventStore.OpenExistingAsync(Url + "&tenant=acme", cancellationToken: Ct));
        Assert.Contains("No such store", missing.Message, StringComparison.Ordinal);

        await using (var tenants = await EventStore.OpenTenantsAsync(Url, cancellationToken: Ct))
        {
            await Assert.ThrowsAsync<UnknownTenantException>(async () => await EventStore.OpenExistingAsync(Url + "&tenant=acme", cancellationToken: Ct));
        }

        await Assert.ThrowsAsync<MalformedTenantIdException>(async () => await EventStore.CreateAsync(Url + "&tenant=a%2Fb", cancellationToken: Ct));
        // tenancy=rls reaches the shared-table factory, which checks its options before connecting.
        var pg = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await EventStore.OpenTenantsAsync("postgresql://u@localhost/db?tenancy=rls&cache=0", cancellationToken: Ct));
        Assert.Contains("cache", pg.Message, StringComparison.Ordinal);
    }
}
