using Eventuali.Conformance;
using Eventuali.Tenancy;

namespace Eventuali.PostgreSql.Tests.Tenancy;

/// <summary>Schema per tenant: the settings are stored in the registry and applied when a new factory opens the tenant.</summary>
public sealed class PgTenantSettingsTests : TenantSettingsConformance, IAsyncLifetime
{
    private readonly string _base = PgTenants.NewBase();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await PgTenants.DropAsync(_base);

    protected override async ValueTask<ITenantStoreFactory> OpenFactoryAsync(EventStoreOptions options)
        => await PgTenants.OpenAsync(_base, options: options);
}
