using Eventuali.Conformance;
using Eventuali.Tenancy;

namespace Eventuali.PostgreSql.Tests.Rls;

/// <summary>The 32-writer quota races on shared tables: rows counted with SQL as the admin role, by tenant_id.</summary>
public sealed class PgRlsQuotaRaceTests : TenantQuotaRaceConformance, IAsyncLifetime
{
    private PgRls _rls = null!;

    public async ValueTask InitializeAsync() => _rls = await PgRls.CreateAsync();

    public async ValueTask DisposeAsync() => await _rls.DisposeAsync();

    protected override async ValueTask<ITenantStoreFactory> OpenFactoryAsync() => await _rls.OpenAsync();

    protected override async ValueTask<(long Events, long Streams)> CountRowsAsync(ITenantStoreFactory factory, TenantId tenant)
    {
        var rows = await _rls.CountAsync(tenant.Value);
        return (rows.Events, rows.Streams);
    }
}
