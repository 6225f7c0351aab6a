using Eventuali.Conformance;
using Eventuali.Projections;

namespace Eventuali.PostgreSql.Tests.Tenancy;

/// <summary>
/// The isolation checks every backend runs (<see cref="TenantIsolationConformance"/>), and the PostgreSQL ones both
/// tenancy modes share: a tenant's LISTEN channel and its read models are its own.
/// </summary>
public abstract class PgTenantIsolation : TenantIsolationConformance
{
    protected override bool PositionsAreContiguous => false;

    [Fact]
    public Task A_tenant_listens_on_its_own_channel_and_sees_no_other_tenant_wake_up()
        => WithTwoTenantsAsync(async (a, b, _) =>
        {
            var pa = a.GetFeature<PostgreSqlEventStore>()!;
            var pb = b.GetFeature<PostgreSqlEventStore>()!;
            Assert.NotEqual(pa.NotificationChannel, pb.NotificationChannel);

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            await using var signals = pa.ListenForAppendsAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
            Assert.True(await signals.MoveNextAsync()); // listening
            await b.AppendAsync("order-1", ExpectedVersion.Any, [Event("b", 1)], Ct);
            var own = await a.AppendAsync("order-1", ExpectedVersion.Any, [Event("a", 1)], Ct);

            // NOTIFY is delivered in commit order: had B's wake-up reached A's channel, it would come first.
            Assert.True(await signals.MoveNextAsync());
            Assert.Equal(own.LastPosition, signals.Current);
        });

    [Fact]
    public Task A_tenants_read_models_are_its_own()
        => WithTwoTenantsAsync(async (a, b, _) =>
        {
            await using (var lease = await a.GetFeature<IProjectionStore>()!.TryAcquireProjectionAsync("orders", "test", Ct))
            await using (var tx = await lease!.BeginAsync(Ct))
            {
                await tx.Documents.PutAsync("order-1", """{"by":"a"}""", Ct);
                await tx.CommitAsync(Ct);
            }

            Assert.NotNull(await a.GetFeature<IProjectionStore>()!.GetProjectionDocumentAsync("orders", "order-1", Ct));
            Assert.Null(await b.GetFeature<IProjectionStore>()!.GetProjectionDocumentAsync("orders", "order-1", Ct));
            Assert.Empty(await b.GetFeature<IProjectionStore>()!.ListProjectionsAsync(Ct));
        });
}
