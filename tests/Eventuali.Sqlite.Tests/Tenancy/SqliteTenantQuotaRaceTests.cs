using Eventuali.Conformance;
using Eventuali.Tenancy;

namespace Eventuali.Sqlite.Tests.Tenancy;

/// <summary>The 32-writer quota races on file-per-tenant SQLite: rows counted with SQL in the tenant's file.</summary>
public sealed class SqliteTenantQuotaRaceTests : TenantQuotaRaceConformance, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eventuali-quota-race-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    protected override async ValueTask<ITenantStoreFactory> OpenFactoryAsync()
        => await SqliteTenantStoreFactory.OpenAsync(_directory + "/?tenancy=file&durability=relaxed", EventStoreOptions.Default, cancellationToken: TestContext.Current.CancellationToken);

    protected override async ValueTask<(long Events, long Streams)> CountRowsAsync(ITenantStoreFactory factory, TenantId tenant)
    {
        var rows = await TenantUsageCounts.CountAsync(((SqliteTenantStoreFactory)factory).FileOf(tenant));
        return (rows.Events, rows.Streams);
    }
}
