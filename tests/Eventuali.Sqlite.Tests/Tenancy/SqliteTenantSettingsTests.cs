using Eventuali.Conformance;
using Eventuali.Tenancy;

namespace Eventuali.Sqlite.Tests.Tenancy;

/// <summary>File per tenant: the settings are stored in the registry and applied when a new factory opens the tenant.</summary>
public sealed class SqliteTenantSettingsTests : TenantSettingsConformance, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eventuali-tenant-settings-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    protected override async ValueTask<ITenantStoreFactory> OpenFactoryAsync(EventStoreOptions options)
        => await SqliteTenantStoreFactory.OpenAsync(_directory + "/?tenancy=file&durability=relaxed", options, cancellationToken: TestContext.Current.CancellationToken);
}
