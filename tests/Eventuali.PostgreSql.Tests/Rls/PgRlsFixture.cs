using Eventuali.Conformance;
using Eventuali.Tenancy;

namespace Eventuali.PostgreSql.Tests.Rls;

/// <summary>
/// A store bound to a fresh tenant of one shared-table deployment per test class, whose noise tenant already holds
/// events and a checkpoint under the stream ids the suite uses in the same tables (<see cref="TenantStoreFixture"/>).
/// Each store has a factory of its own; reopening opens a new factory as the application role alone.
/// </summary>
public sealed class PgRlsFixture : TenantStoreFixture
{
    private readonly SemaphoreSlim _setUp = new(1, 1);
    private PgRls? _rls;

    public override string BackendName => "postgresql tenancy=rls";

    public override bool PositionsAreContiguous => false;

    public override bool StoresJsonWithNulCharacters => false;

    protected override async ValueTask<ITenantStoreFactory> OpenFactoryAsync(EventStoreOptions? options, bool reopen, CancellationToken cancellationToken)
        => await (await DeploymentAsync(cancellationToken)).OpenAsync(owner: !reopen, options: options);

    protected override async ValueTask DeletePlaceAsync()
    {
        if (_rls is not null)
        {
            await _rls.DisposeAsync();
        }

        _setUp.Dispose();
    }

    // The roles and the schema, once per class.
    private async Task<PgRls> DeploymentAsync(CancellationToken cancellationToken)
    {
        await _setUp.WaitAsync(cancellationToken);
        try
        {
            return _rls ??= await PgRls.CreateAsync();
        }
        finally
        {
            _setUp.Release();
        }
    }
}
