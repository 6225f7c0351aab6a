using Eventuali.Conformance;
using Eventuali.Tenancy;

namespace Eventuali.PostgreSql.Tests.Tenancy;

/// <summary>
/// A store bound to a fresh tenant of one schema-per-tenant base schema per test class, whose noise tenant already
/// holds events and a checkpoint under the stream ids the suite uses (<see cref="TenantStoreFixture"/>). Each store has
/// a factory of its own over the base; reopening opens a new one without create.
/// </summary>
public sealed class PgTenantFixture : TenantStoreFixture
{
    private readonly string _base = PgTenants.NewBase();

    public override string BackendName => "postgresql tenancy=schema";

    public override bool PositionsAreContiguous => false;

    public override bool StoresJsonWithNulCharacters => false;

    protected override async ValueTask<ITenantStoreFactory> OpenFactoryAsync(EventStoreOptions? options, bool reopen, CancellationToken cancellationToken)
        => await PostgreSqlTenantStoreFactory.OpenAsync(await PgTenants.UrlAsync(_base), options ?? EventStoreOptions.Default, create: !reopen, cancellationToken);

    protected override async ValueTask DeletePlaceAsync() => await PgTenants.DropAsync(_base);
}
