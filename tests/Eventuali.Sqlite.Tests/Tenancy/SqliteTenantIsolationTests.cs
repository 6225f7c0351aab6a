using Eventuali.Conformance;
using Eventuali.Tenancy;

namespace Eventuali.Sqlite.Tests.Tenancy;

/// <summary>File per tenant: the isolation checks, and each tenant's rows in a file of its own named from its id.</summary>
public sealed class SqliteTenantIsolationTests : TenantIsolationConformance, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eventuali-tenant-isolation-").FullName;

    protected override bool PositionsAreContiguous => true;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    protected override async ValueTask<ITenantStoreFactory> OpenFactoryAsync(bool oneConnection = false)
        => await SqliteTenantStoreFactory.OpenAsync(_directory + "/?tenancy=file&durability=relaxed", EventStoreOptions.Default, cancellationToken: Ct);

    protected override ValueTask CheckPlacesAsync(ITenantStoreFactory factory)
    {
        Assert.True(File.Exists(Path.Combine(_directory, "data", "acme.db")));
        Assert.True(File.Exists(Path.Combine(_directory, "data", "bolt-2.db")));
        Assert.True(File.Exists(Path.Combine(_directory, "tenants.db")));
        return ValueTask.CompletedTask;
    }
}
