using Eventuali.Conformance;
using Eventuali.Tenancy;

namespace Eventuali.PostgreSql.Tests.Rls;

/// <summary>A tenant's stored settings (retention, snapshot interval, encryption) applied to its store in shared tables.</summary>
public sealed class PgRlsSettingsTests : TenantSettingsConformance, IAsyncLifetime
{
    private PgRls? _rls;

    public async ValueTask InitializeAsync() => _rls = await PgRls.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        if (_rls is not null)
        {
            await _rls.DisposeAsync();
        }
    }

    protected override async ValueTask<ITenantStoreFactory> OpenFactoryAsync(EventStoreOptions options)
        => await _rls!.OpenAsync(options: options);
}
