using Eventuali.Conformance;
using Eventuali.Tenancy;

namespace Eventuali.Core.Tests.Tenancy;

/// <summary>In memory the factory is its tenants' only home: "reopening" hands out the tenant's store again.</summary>
public sealed class MemoryTenantSettingsTests : TenantSettingsConformance, IAsyncDisposable
{
    private InMemoryTenantStoreFactory? _factory;

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    protected override ValueTask<ITenantStoreFactory> OpenFactoryAsync(EventStoreOptions options)
        => ValueTask.FromResult<ITenantStoreFactory>(_factory ??= new InMemoryTenantStoreFactory(options));

    protected override ValueTask CloseFactoryAsync(ITenantStoreFactory factory) => ValueTask.CompletedTask;
}
