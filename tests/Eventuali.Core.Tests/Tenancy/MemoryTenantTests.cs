using System.Text;
using Eventuali.Conformance;
using Eventuali.Tenancy;

namespace Eventuali.Core.Tests.Tenancy;

/// <summary>
/// A store bound to one tenant of an <see cref="InMemoryTenantStoreFactory"/>, with another tenant of the same
/// factory already holding events: the conformance suite (contiguous positions from 1, an empty log at first) only
/// passes when nothing of the other tenant shows through.
/// </summary>
public sealed class MemoryTenantFixture : IStoreFixture
{
    public string BackendName => "memory-tenant";

    public bool Persists => false;

    public bool PositionsAreContiguous => true;

    public async ValueTask<IEventStore> CreateStoreAsync(EventStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        var factory = new InMemoryTenantStoreFactory(options);
        var noise = TenantId.Parse("noise");
        await factory.CreateTenantAsync(noise, cancellationToken);
        var other = await factory.GetStoreAsync(noise, cancellationToken);
        await other.AppendAsync("order-1", ExpectedVersion.Any, [new EventData(EventData.NewEventId(), "noise", Encoding.UTF8.GetBytes("{}"))], cancellationToken);
        var tenant = TenantId.Parse("conformance");
        await factory.CreateTenantAsync(tenant, cancellationToken);
        return await factory.GetStoreAsync(tenant, cancellationToken);
    }

    public ValueTask<IEventStore> ReopenAsync(IEventStore store, CancellationToken cancellationToken = default)
        => throw new NotSupportedException("The memory store does not persist; Persists is false.");
}

public sealed class MemoryTenantAppend(MemoryTenantFixture f) : AppendConformance<MemoryTenantFixture>(f);

public sealed class MemoryTenantStreamRead(MemoryTenantFixture f) : StreamReadConformance<MemoryTenantFixture>(f);

public sealed class MemoryTenantGlobalLog(MemoryTenantFixture f) : GlobalLogConformance<MemoryTenantFixture>(f);

public sealed class MemoryTenantConcurrency(MemoryTenantFixture f) : ConcurrencyConformance<MemoryTenantFixture>(f);

public sealed class MemoryTenantIdempotency(MemoryTenantFixture f) : IdempotencyConformance<MemoryTenantFixture>(f);

/// <summary>The registry's typed errors and the isolation of two tenants of one factory.</summary>
public sealed class MemoryTenantFactoryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static EventData Event(string type) => new(EventData.NewEventId(), type, Encoding.UTF8.GetBytes("{}"));

    [Fact]
    public async Task The_same_stream_id_in_two_tenants_is_two_streams_both_ways()
    {
        await using var factory = new InMemoryTenantStoreFactory();
        var (a, b) = (TenantId.Parse("a"), TenantId.Parse("b"));
        await factory.CreateTenantAsync(a, Ct);
        await factory.CreateTenantAsync(b, Ct);
        var storeA = await factory.GetStoreAsync(a, Ct);
        var storeB = await factory.GetStoreAsync(b, Ct);

        await storeA.AppendAsync("order-1", ExpectedVersion.NoStream, [Event("a1"), Event("a2")], Ct);
        await storeB.AppendAsync("order-1", ExpectedVersion.NoStream, [Event("b1")], Ct);

        Assert.Equal(["a1", "a2"], await TypesAsync(storeA.ReadStreamAsync("order-1", cancellationToken: Ct)));
        Assert.Equal(["b1"], await TypesAsync(storeB.ReadStreamAsync("order-1", cancellationToken: Ct)));
        Assert.Equal(["a1", "a2"], await TypesAsync(storeA.ReadAllAsync(cancellationToken: Ct)));
        Assert.Equal(["b1"], await TypesAsync(storeB.ReadAllAsync(cancellationToken: Ct)));
        Assert.Equal(2, await storeA.GetHeadPositionAsync(Ct));
        Assert.Equal(1, await storeB.GetHeadPositionAsync(Ct));
    }

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

    private static async Task<List<string>> TypesAsync(IAsyncEnumerable<RecordedEvent> events)
    {
        var types = new List<string>();
        await foreach (var e in events)
        {
            types.Add(e.EventType);
        }

        return types;
    }
}
