using System.Diagnostics;
using System.Text;
using Eventuali.Snapshots;
using Eventuali.Statistics;
using Eventuali.Subscriptions;
using Eventuali.Tenancy;

namespace Eventuali.Conformance;

/// <summary>
/// Two tenants of one factory, writing under the same stream ids, attacked for leaks in both directions on every
/// backend: streams, versions, the global log and its head, checkpoints, snapshots, statistics, usage, subscriptions,
/// and the export (the tenant's whole log read from its own store, as <c>eventuali tenants export</c> writes it).
/// </summary>
public abstract class TenantIsolationConformance
{
    /// <summary>The first tenant.</summary>
    protected static readonly TenantId A = TenantId.Parse("acme");

    /// <summary>The second tenant (a hyphen: its schema or file name differs from its id).</summary>
    protected static readonly TenantId B = TenantId.Parse("bolt-2");

    /// <summary>The test's token.</summary>
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Whether a fresh tenant's positions run 1, 2, 3 (memory, SQLite); else only each head is checked against its own log.</summary>
    protected abstract bool PositionsAreContiguous { get; }

    /// <summary>
    /// Opens the factory over this test's tenants; called again after <see cref="CloseFactoryAsync"/> to reopen it.
    /// With <paramref name="oneConnection"/> a pooled backend keeps one connection, so both tenants' calls share it.
    /// </summary>
    protected abstract ValueTask<ITenantStoreFactory> OpenFactoryAsync(bool oneConnection = false);

    /// <summary>Closes what <see cref="OpenFactoryAsync"/> opened (memory keeps it: its tenants live only there).</summary>
    protected virtual ValueTask CloseFactoryAsync(ITenantStoreFactory factory) => factory.DisposeAsync();

    /// <summary>The backend's own look at where both tenants' rows went (files apart, one pool), after they wrote.</summary>
    protected virtual ValueTask CheckPlacesAsync(ITenantStoreFactory factory) => ValueTask.CompletedTask;

    /// <summary>
    /// Opens the factory, creates A and B, and runs <paramref name="test"/> on their stores (held for the test, then
    /// released) before closing the factory.
    /// </summary>
    protected async Task WithTwoTenantsAsync(Func<IEventStore, IEventStore, ITenantStoreFactory, Task> test, bool oneConnection = false)
    {
        ArgumentNullException.ThrowIfNull(test);
        var factory = await OpenFactoryAsync(oneConnection);
        try
        {
            await factory.CreateTenantAsync(A, Ct);
            await factory.CreateTenantAsync(B, Ct);
            await using var a = await factory.GetStoreAsync(A, Ct);
            await using var b = await factory.GetStoreAsync(B, Ct);
            await test(a, b, factory);
        }
        finally
        {
            await CloseFactoryAsync(factory);
        }
    }

    /// <summary>An event of <paramref name="type"/>, JSON in jsonb's own text form.</summary>
    protected static EventData Event(string type, int n = 0) => new(EventData.NewEventId(), type, Encoding.UTF8.GetBytes($"{{\"n\": {n}}}"));

    [Fact]
    public async Task The_same_stream_id_in_two_tenants_is_two_streams_and_no_capability_sees_the_other()
    {
        // Pooled backends: one connection, so every call of A and of B runs on the same server session.
        await WithTwoTenantsAsync(async (a, b, factory) =>
        {
            await a.AppendAsync("order-1", ExpectedVersion.NoStream, [Event("a-placed", 1), Event("a-paid", 2)], Ct);
            Assert.Null(await b.GetStreamVersionAsync("order-1", Ct));
            Assert.Empty(await b.ReadAllAsync(cancellationToken: Ct).ToListAsync(Ct));
            await b.AppendAsync("order-1", ExpectedVersion.NoStream, [Event("b-placed", 1)], Ct);
            Assert.Equal((2L, 1L), (await a.GetStreamVersionAsync("order-1", Ct), await b.GetStreamVersionAsync("order-1", Ct)));

            Assert.Equal(["a-placed", "a-paid"], await Types(a.ReadStreamAsync("order-1", cancellationToken: Ct)));
            Assert.Equal(["b-placed"], await Types(b.ReadStreamAsync("order-1", cancellationToken: Ct)));
            Assert.Equal(["a-placed", "a-paid"], await Types(a.ReadAllAsync(cancellationToken: Ct)));
            Assert.Equal(["b-placed"], await Types(b.ReadAllAsync(cancellationToken: Ct)));

            // Each head is the last position of its own log.
            var (headA, headB) = (await a.GetHeadPositionAsync(Ct), await b.GetHeadPositionAsync(Ct));
            Assert.Equal((await a.ReadAllAsync(cancellationToken: Ct).LastAsync(Ct)).Position, headA);
            Assert.Equal((await b.ReadAllAsync(cancellationToken: Ct).LastAsync(Ct)).Position, headB);
            if (PositionsAreContiguous)
            {
                Assert.Equal((2L, 1L), (headA, headB));
            }

            // Checkpoints, snapshots and statistics of one tenant are not the other's.
            await a.GetFeature<ICheckpointStore>()!.SaveCheckpointAsync("billing", 42, Ct);
            Assert.Null(await b.GetFeature<ICheckpointStore>()!.LoadCheckpointAsync("billing", Ct));
            Assert.Equal(42, await a.GetFeature<ICheckpointStore>()!.LoadCheckpointAsync("billing", Ct));
            await b.GetFeature<ISnapshotStore>()!.WriteSnapshotAsync(Snapshot(1), Ct);
            Assert.Null(await a.GetFeature<ISnapshotStore>()!.ReadSnapshotAsync("order-1", cancellationToken: Ct));
            await a.GetFeature<ISnapshotStore>()!.WriteSnapshotAsync(Snapshot(2), Ct);
            Assert.Equal(1, (await b.GetFeature<ISnapshotStore>()!.ReadSnapshotAsync("order-1", cancellationToken: Ct))!.Version);
            Assert.Equal(2, (await a.GetFeature<ISnapshotStore>()!.ReadSnapshotAsync("order-1", cancellationToken: Ct))!.Version);
            var statsA = await a.GetFeature<IStoreStatistics>()!.GetStatisticsAsync(Ct);
            var statsB = await b.GetFeature<IStoreStatistics>()!.GetStatisticsAsync(Ct);
            Assert.Equal((2L, 1L), (statsA.Events, statsB.Events));

            // Usage is metered per tenant and equals each one's rows.
            var usage = await Assert.IsAssignableFrom<ITenantAdministration>(factory).ReadUsageAsync(null, null, null, Ct);
            Assert.Equal([(A, 2L, 1L), (B, 1L, 1L)], usage.OrderBy(u => u.Tenant.Value, StringComparer.Ordinal).Select(u => (u.Tenant, u.Events, u.Streams)));
            await CheckPlacesAsync(factory);
        }, oneConnection: true);
    }

    [Fact]
    public async Task A_subscription_of_one_tenant_sees_only_its_events_and_is_not_woken_by_the_other()
    {
        await WithTwoTenantsAsync(async (a, b, _) =>
        {
            await a.AppendAsync("s", ExpectedVersion.Any, [Event("a-first")], Ct);
            await b.AppendAsync("s", ExpectedVersion.Any, [Event("b-1"), Event("b-2")], Ct);

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(60));
            var seen = new List<string>();
            var reading = Task.Run(
                async () =>
                {
                    await foreach (var e in a.SubscribeToAllAsync(cancellationToken: deadline.Token))
                    {
                        seen.Add(e.EventType);
                        if (e.EventType == "a-last")
                        {
                            return;
                        }
                    }
                },
                Ct);

            // The other tenant writes while A's subscription is live: none of it may reach A, nor end its wait.
            for (var i = 0; i < 20; i++)
            {
                await b.AppendAsync("s", ExpectedVersion.Any, [Event("b-live", i)], Ct);
            }

            await a.AppendAsync("s", ExpectedVersion.Any, [Event("a-last")], Ct);
            await reading;
            Assert.Equal(["a-first", "a-last"], seen);
        });
    }

    [Fact]
    public async Task The_export_of_a_tenant_holds_its_own_rows_only_and_a_store_bound_to_the_other_reaches_none_of_them()
    {
        string[] streams = ["order-1", "order-2", "account-1"];
        var written = new Dictionary<TenantId, HashSet<Guid>> { [A] = [], [B] = [] };
        await WithTwoTenantsAsync(async (a, b, _) =>
        {
            foreach (var (tenant, store) in new[] { (A, a), (B, b) })
            {
                foreach (var stream in streams)
                {
                    var events = new[] { Event(tenant.Value), Event(tenant.Value) };
                    await store.AppendAsync(stream, ExpectedVersion.NoStream, events, Ct);
                    written[tenant].UnionWith(events.Select(e => e.EventId));
                }
            }
        });

        // The export, as a later process makes it: a factory opened again, the tenant's store, its log from position 1.
        var factory = await OpenFactoryAsync();
        try
        {
            var exported = new Dictionary<TenantId, List<RecordedEvent>>();
            foreach (var tenant in new[] { A, B })
            {
                exported[tenant] = await ExportAsync(factory, tenant, written[tenant]);
            }

            Assert.Equal(written[A].Order(), exported[A].Select(e => e.EventId).Order());
            Assert.Equal(written[B].Order(), exported[B].Select(e => e.EventId).Order());
            Assert.All(exported[A], e => Assert.Equal(A.Value, e.EventType));
            Assert.All(exported[B], e => Assert.Equal(B.Value, e.EventType));

            // From B's store, every way of naming A's rows (their positions, their streams, their category) finds B's own.
            await using var b = await factory.GetStoreAsync(B, Ct);
            foreach (var position in exported[A].Select(e => e.Position))
            {
                Assert.DoesNotContain(await b.ReadAllAsync(position, int.MaxValue, null, Ct).ToListAsync(Ct), e => written[A].Contains(e.EventId));
            }

            foreach (var stream in streams)
            {
                AssertOwn(written[B], 2, await b.ReadStreamAsync(stream, cancellationToken: Ct).ToListAsync(Ct));
                AssertOwn(written[B], 2, await b.ReadStreamAsync(stream, StreamVersion.End, direction: ReadDirection.Backward, cancellationToken: Ct).ToListAsync(Ct));
            }

            AssertOwn(written[B], 4, await b.ReadAllAsync(1, int.MaxValue, EventFilter.ForCategory("order-"), Ct).ToListAsync(Ct));
            Assert.Empty(await b.ReadAllAsync(1, int.MaxValue, EventFilter.ForEventTypes(A.Value), Ct).ToListAsync(Ct));
        }
        finally
        {
            await CloseFactoryAsync(factory);
        }
    }

    // The tenant's log from position 1, as a process that did not write it reads it. On PostgreSQL such a reader gets the
    // log's readable prefix: a transaction still open elsewhere on the server (another test's append, under load) holds
    // the horizon back, so the log is read again until what was written shows, within a generous deadline.
    private static async Task<List<RecordedEvent>> ExportAsync(ITenantStoreFactory factory, TenantId tenant, HashSet<Guid> written)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            await using var store = await factory.GetStoreAsync(tenant, Ct);
            var log = await store.ReadAllAsync(1, int.MaxValue, null, Ct).ToListAsync(Ct);
            if (written.IsSubsetOf(log.Select(e => e.EventId)) || waited.Elapsed > TimeSpan.FromSeconds(90))
            {
                return log;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), Ct);
        }
    }

    // Exactly count events, every one of them the tenant's own.
    private static void AssertOwn(HashSet<Guid> own, int count, List<RecordedEvent> read)
    {
        Assert.Equal(count, read.Count);
        Assert.All(read, e => Assert.Contains(e.EventId, own));
    }

    private static StoredSnapshot Snapshot(long version)
        => new("order-1", version, version, "order", 1, SnapshotCodec.None, 0, Encoding.UTF8.GetBytes("{}"), DateTimeOffset.UnixEpoch);

    private static async Task<List<string>> Types(IAsyncEnumerable<RecordedEvent> events) => await events.Select(e => e.EventType).ToListAsync(Ct);
}
