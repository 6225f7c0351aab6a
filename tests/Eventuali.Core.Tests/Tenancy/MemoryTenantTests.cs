using System.Text;
using Eventuali.Conformance;
using Eventuali.Tenancy;

namespace Eventuali.Core.Tests.Tenancy;

/// <summary>
/// A store bound to a fresh tenant of an <see cref="InMemoryTenantStoreFactory"/> of its own, whose noise tenant already
/// holds events: the conformance suite (contiguous positions from 1, an empty log at first) only passes when nothing of
/// the other tenant shows through.
/// </summary>
public sealed class MemoryTenantFixture : TenantStoreFixture
{
    public override string BackendName => "memory-tenant";

    public override bool Persists => false;

    public override bool PositionsAreContiguous => true;

    // Each factory is its own place: a memory factory cannot be opened again.
    protected override bool OnePlace => false;

    protected override ValueTask<ITenantStoreFactory> OpenFactoryAsync(EventStoreOptions? options, bool reopen, CancellationToken cancellationToken)
        => ValueTask.FromResult<ITenantStoreFactory>(new InMemoryTenantStoreFactory(options));
}

public sealed class MemoryTenantAppend(MemoryTenantFixture f) : AppendConformance<MemoryTenantFixture>(f);

public sealed class MemoryTenantStreamRead(MemoryTenantFixture f) : StreamReadConformance<MemoryTenantFixture>(f);

public sealed class MemoryTenantGlobalLog(MemoryTenantFixture f) : GlobalLogConformance<MemoryTenantFixture>(f);

public sealed class MemoryTenantConcurrency(MemoryTenantFixture f) : ConcurrencyConformance<MemoryTenantFixture>(f);

public sealed class MemoryTenantIdempotency(MemoryTenantFixture f) : IdempotencyConformance<MemoryTenantFixture>(f);

/// <summary>In memory the factory is its tenants' only home: "reopening" is the same factory.</summary>
public sealed class MemoryTenantIsolation : TenantIsolationConformance, IAsyncDisposable
{
    private InMemoryTenantStoreFactory? _factory;

    protected override bool PositionsAreContiguous => true;

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    protected override ValueTask<ITenantStoreFactory> OpenFactoryAsync(bool oneConnection = false)
        => ValueTask.FromResult<ITenantStoreFactory>(_factory ??= new InMemoryTenantStoreFactory());

    protected override ValueTask CloseFactoryAsync(ITenantStoreFactory factory) => ValueTask.CompletedTask;
}

/// <summary>The registry's typed errors, idempotent creation and the two-step delete.</summary>
public sealed class MemoryTenantFactoryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static EventData Event(string type) => new(EventData.NewEventId(), type, Encoding.UTF8.GetBytes("{}"));

    [Fact]
    public async Task Unknown_suspended_and_missing_tenants_are_refused_with_typed_errors()
    {
        await using var factory = new InMemoryTenantStoreFactory();
        var acme = TenantId.Parse("acme");
        await Assert.ThrowsAsync<UnknownTenantException>(async () => await factory.GetStoreAsync(acme, Ct));
        await Assert.ThrowsAsync<UnknownTenantException>(async () => await factory.SetSuspendedAsync(acme, true, Ct));
        await Assert.ThrowsAsync<MissingTenantContextException>(async () => await factory.GetStoreAsync(default, Ct));

        await factory.CreateTenantAsync(acme, Ct);
        await factory.SetSuspendedAsync(acme, true, Ct);
        var e = await Assert.ThrowsAsync<TenantSuspendedException>(async () => await factory.GetStoreAsync(acme, Ct));
        Assert.Equal(acme, e.Tenant);

        await factory.SetSuspendedAsync(acme, false, Ct);
        Assert.NotNull(await factory.GetStoreAsync(TenantId.Parse("ACME"), Ct));
    }

    [Fact]
    public async Task Creating_is_idempotent_and_keeps_the_data()
    {
        await using var factory = new InMemoryTenantStoreFactory();
        var first = await factory.CreateTenantAsync(TenantId.Parse("acme"), Ct);
        var store = await factory.GetStoreAsync(first.Tenant, Ct);
        await store.AppendAsync("s", ExpectedVersion.NoStream, [Event("x")], Ct);

        var again = await factory.CreateTenantAsync(TenantId.Parse("Acme"), Ct);
        Assert.Equal(first, again);
        Assert.Equal(1, await (await factory.GetStoreAsync(again.Tenant, Ct)).GetHeadPositionAsync(Ct));
        Assert.Equal([first], await factory.ListTenantsAsync(Ct));
    }

    [Fact]
    public async Task Deleting_takes_a_confirmation_token_and_disposing_a_handed_out_store_keeps_the_data()
    {
        await using var factory = new InMemoryTenantStoreFactory();
        var acme = TenantId.Parse("acme");
        await factory.CreateTenantAsync(acme, Ct);
        await using (var store = await factory.GetStoreAsync(acme, Ct))
        {
            await store.AppendAsync("s", ExpectedVersion.NoStream, [Event("x")], Ct);
        }

        // Disposing released the hold only: the tenant's events are still there.
        await using (var again = await factory.GetStoreAsync(acme, Ct))
        {
            Assert.Equal(1, await again.GetHeadPositionAsync(Ct));
        }

        await Assert.ThrowsAsync<TenantDeletionException>(async () => await factory.PurgeTenantAsync(acme, "x", Ct));
        var token = await factory.RequestDeletionAsync(acme, Ct);
        await Assert.ThrowsAsync<TenantSuspendedException>(async () => await factory.GetStoreAsync(acme, Ct));
        var wrong = await Assert.ThrowsAsync<TenantDeletionException>(async () => await factory.PurgeTenantAsync(acme, "0123456789abcdef", Ct));
        Assert.DoesNotContain(token, wrong.Message, StringComparison.Ordinal);

        await factory.PurgeTenantAsync(acme, token, Ct);
        Assert.Empty(await factory.ListTenantsAsync(Ct));
        Assert.Equal(["created", "deletion-requested", "purged"], (await factory.ReadAuditAsync(Ct)).Select(r => r.Action));
    }
}
