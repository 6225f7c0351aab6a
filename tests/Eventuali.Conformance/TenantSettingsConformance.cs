using System.Text;
using Eventuali.Lifecycle;
using Eventuali.Snapshots;
using Eventuali.Tenancy;
using Eventuali.Typed;

namespace Eventuali.Conformance;

/// <summary>
/// A tenant's stored retention, snapshot interval and encryption setting are applied to the store the factory hands
/// out: each is set, the factory reopened (memory: the same factory), and its effect observed on the tenant's store.
/// </summary>
public abstract class TenantSettingsConformance
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Options whose type registry knows the suite's aggregates.</summary>
    protected static EventStoreOptions Options() => new() { Types = new EventTypeRegistry().RegisterAssembly(typeof(TenantSettingsConformance).Assembly) };

    /// <summary>Opens the factory over this test's tenants; called again after <see cref="CloseFactoryAsync"/> to reopen it.</summary>
    protected abstract ValueTask<ITenantStoreFactory> OpenFactoryAsync(EventStoreOptions options);

    /// <summary>Closes what <see cref="OpenFactoryAsync"/> opened (memory keeps it: its tenants live only there).</summary>
    protected virtual ValueTask CloseFactoryAsync(ITenantStoreFactory factory) => factory.DisposeAsync();

    [Fact]
    public async Task The_tenants_snapshot_interval_is_used_by_its_repositories()
    {
        var (every, plain) = (TenantId.Parse("snap-every"), TenantId.Parse("snap-plain"));
        await ConfigureAsync((every, new TenantConfiguration { SnapshotEveryEvents = 4 }), (plain, TenantConfiguration.Default));

        var factory = await OpenFactoryAsync(Options());
        try
        {
            Assert.Equal(4, (await Admin(factory).GetConfigurationAsync(every, Ct)).SnapshotEveryEvents);
            Assert.Equal([4L, 8L], await SnapshotVersionsAfterTenSavesAsync(factory, every));
            Assert.Empty(await SnapshotVersionsAfterTenSavesAsync(factory, plain)); // no policy in code: none taken
        }
        finally
        {
            await CloseFactoryAsync(factory);
        }
    }

    [Fact]
    public async Task The_tenants_retention_is_what_the_retention_job_keeps()
    {
        var (kept, plain) = (TenantId.Parse("keep-two"), TenantId.Parse("keep-all"));
        await ConfigureAsync((kept, new TenantConfiguration { Retention = new StoreRetention(MaxCount: 2) }), (plain, TenantConfiguration.Default));

        var factory = await OpenFactoryAsync(Options());
        try
        {
            await using (var store = await factory.GetStoreAsync(kept, Ct))
            {
                await store.AppendAsync("a", ExpectedVersion.NoStream, [.. Enumerable.Range(0, 5).Select(Event)], Ct);
                await store.AppendAsync("b", ExpectedVersion.NoStream, [.. Enumerable.Range(0, 3).Select(Event)], Ct);
                Assert.Equal(new RetentionResult(2, 4), await store.ApplyStoreRetentionAsync(Ct));
                Assert.Equal([4L, 5L], await store.ReadStreamAsync("a", cancellationToken: Ct).Select(e => e.StreamVersion).ToListAsync(Ct));
            }

            await using var other = await factory.GetStoreAsync(plain, Ct);
            await other.AppendAsync("a", ExpectedVersion.NoStream, [.. Enumerable.Range(0, 5).Select(Event)], Ct);
            Assert.Equal(default, await other.ApplyStoreRetentionAsync(Ct));
            Assert.Equal(5, await other.ReadStreamAsync("a", cancellationToken: Ct).CountAsync(Ct));
        }
        finally
        {
            await CloseFactoryAsync(factory);
        }
    }

    [Fact]
    public async Task Encryption_on_refuses_unencrypted_personal_data_and_off_refuses_encrypted_events()
    {
        var (on, off) = (TenantId.Parse("enc-on"), TenantId.Parse("enc-off"));
        await ConfigureAsync((on, new TenantConfiguration { Encryption = true }), (off, new TenantConfiguration { Encryption = false }));
        var personal = new EventMetadata(Headers: new Dictionary<string, string> { ["eventuali-personal"] = "email" });
        var encrypted = new EventMetadata(Headers: new Dictionary<string, string> { ["eventuali-encrypted"] = "email" });

        var factory = await OpenFactoryAsync(Options());
        try
        {
            await using (var store = await factory.GetStoreAsync(on, Ct))
            {
                var refused = await Assert.ThrowsAsync<TenantEncryptionException>(async () => await store.AppendAsync("p", ExpectedVersion.Any, [Event(1), Event(2, personal)], Ct));
                Assert.True(refused.Required);
                Assert.DoesNotContain("a@b", refused.Message, StringComparison.Ordinal); // the payload never shows
                Assert.Null(await store.GetStreamVersionAsync("p", Ct)); // nothing of the batch written
                await store.AppendAsync("p", ExpectedVersion.NoStream, [Event(1), Event(2, encrypted)], Ct);
            }

            await using var plain = await factory.GetStoreAsync(off, Ct);
            Assert.False((await Assert.ThrowsAsync<TenantEncryptionException>(async () => await plain.AppendAsync("p", ExpectedVersion.Any, [Event(1, encrypted)], Ct))).Required);
            Assert.Null(await plain.GetStreamVersionAsync("p", Ct));
            await plain.AppendAsync("p", ExpectedVersion.NoStream, [Event(1, personal)], Ct);
        }
        finally
        {
            await CloseFactoryAsync(factory);
        }
    }

    private static ITenantAdministration Admin(ITenantStoreFactory factory) => Assert.IsAssignableFrom<ITenantAdministration>(factory);

    private static EventData Event(int n) => Event(n, null);

    private static EventData Event(int n, EventMetadata? metadata) => new(EventData.NewEventId(), "e", Encoding.UTF8.GetBytes($"{{\"n\":{n},\"email\":\"a@b\"}}"), metadata);

    private async Task ConfigureAsync(params (TenantId Tenant, TenantConfiguration Configuration)[] tenants)
    {
        var factory = await OpenFactoryAsync(Options());
        try
        {
            foreach (var (tenant, configuration) in tenants)
            {
                await factory.CreateTenantAsync(tenant, Ct);
                await Admin(factory).SetConfigurationAsync(tenant, configuration, Ct);
            }
        }
        finally
        {
            await CloseFactoryAsync(factory);
        }
    }

    private static async Task<List<long>> SnapshotVersionsAfterTenSavesAsync(ITenantStoreFactory factory, TenantId tenant)
    {
        await using var store = await factory.GetStoreAsync(tenant, Ct);
        var ledger = Ledger.Open("x", "owner");
        await store.SaveAsync(ledger, cancellationToken: Ct);
        for (var i = 1; i < 10; i++)
        {
            ledger.Credit(i, "c" + i);
            await store.SaveAsync(ledger, cancellationToken: Ct);
        }

        var snapshots = Assert.IsAssignableFrom<ISnapshotStore>(store.GetFeature<ISnapshotStore>());
        return [.. (await snapshots.ListSnapshotsAsync("conformance-ledger-x", Ct).ToListAsync(Ct)).Select(s => s.Version).Order()];
    }
}
