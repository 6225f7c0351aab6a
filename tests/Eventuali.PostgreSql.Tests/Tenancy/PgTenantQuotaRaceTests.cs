using Eventuali.Conformance;
using Eventuali.Tenancy;

namespace Eventuali.PostgreSql.Tests.Tenancy;

/// <summary>The 32-writer quota races on schema-per-tenant PostgreSQL: rows counted with SQL in the tenant's schema.</summary>
public sealed class PgTenantQuotaRaceTests : TenantQuotaRaceConformance, IAsyncLifetime
{
    private readonly string _base = PgTenants.NewBase();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await PgTenants.DropAsync(_base);

    protected override async ValueTask<ITenantStoreFactory> OpenFactoryAsync() => await PgTenants.OpenAsync(_base);

    protected override async ValueTask<(long Events, long Streams)> CountRowsAsync(ITenantStoreFactory factory, TenantId tenant)
    {
        var rows = await PgTenants.CountAsync(((PostgreSqlTenantStoreFactory)factory).SchemaOf(tenant));
        return (rows.Events, rows.Streams);
    }
}
