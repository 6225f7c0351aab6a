using Eventuali.Conformance;
using Eventuali.Tenancy;

namespace Eventuali.Sqlite.Tests.Tenancy;

/// <summary>
/// A store bound to a fresh tenant of one file-per-tenant directory per test class, whose noise tenant already holds
/// events under the stream ids the suite uses (<see cref="TenantStoreFixture"/>). Each store has a factory of its own
/// over the directory; reopening opens a new one without create.
/// </summary>
public sealed class SqliteTenantFixture : TenantStoreFixture
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "eventuali-tenancy-tests", Guid.NewGuid().ToString("N"));

    public override string BackendName => "sqlite tenancy=file";

    public override bool PositionsAreContiguous => true;

    protected override async ValueTask<ITenantStoreFactory> OpenFactoryAsync(EventStoreOptions? options, bool reopen, CancellationToken cancellationToken)
        => await SqliteTenantStoreFactory.OpenAsync(_directory + "/?tenancy=file", options ?? new EventStoreOptions { Durability = Durability.Relaxed }, create: !reopen, cancellationToken);

    protected override ValueTask DeletePlaceAsync()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Cleaned by the OS with the rest of the temp directory.
        }

        return ValueTask.CompletedTask;
    }
}
