using System.Text;
using Eventuali.Tenancy;

namespace Eventuali.Sqlite.Tests.Tenancy;

/// <summary>File-per-tenant SQLite: usage metered in the tenant's file equals what it stores; day buckets; reads.</summary>
public sealed class SqliteTenantUsageTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eventuali-usage-").FullName;
    private readonly TenantId _a = TenantId.Parse("a");
    private readonly TenantId _b = TenantId.Parse("b");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Usage_equals_the_stored_rows_per_tenant_and_counts_reads()
    {
        var factory = await OpenAsync(EventStoreOptions.Default);
        await factory.CreateTenantAsync(_a, Ct);
        await factory.CreateTenantAsync(_b, Ct);
        await using (var a = await factory.GetStoreAsync(_a, Ct))
        {
            for (var i = 0; i < 20; i++)
            {
                await a.AppendAsync($"s-{i % 7}", ExpectedVersion.Any, [Event("x", i), Event("y", i * 31)], Ct);
            }

            // A retry of a stored append writes nothing and so counts nothing.
            var again = Event("z", 3);
            await a.AppendAsync("s-retry", ExpectedVersion.NoStream, [again], Ct);
            await a.AppendAsync("s-retry", ExpectedVersion.NoStream, [again], Ct);
            await Assert.ThrowsAsync<ConcurrencyException>(async () => await a.AppendAsync("s-0", ExpectedVersion.NoStream, [Event("w", 1)], Ct));
            Assert.Equal(5, await a.ReadStreamAsync("s-retry", cancellationToken: Ct).CountAsync(Ct) + await a.ReadStreamAsync("s-1", maxCount: 4, cancellationToken: Ct).CountAsync(Ct));
        }

        await using (var b = await factory.GetStoreAsync(_b, Ct))
        {
            await b.AppendAsync("s-0", ExpectedVersion.NoStream, [Event("x", 1)], Ct);
        }

        // Released stores are still cached: their reads are written when they close (here, with the factory's cache).
        var usage = await factory.ReadUsageAsync(null, null, null, Ct);
        Assert.Equal([_a, _b], usage.Select(u => u.Tenant));
        foreach (var (tenant, u) in new[] { (_a, usage[0]), (_b, usage[1]) })
        {
            var rows = await TenantUsageCounts.CountAsync(factory.FileOf(tenant));
            Assert.Equal(rows, new TenantUsageCounts(u.Events, u.Bytes, u.Streams));
            Assert.True(u.StorageBytes >= new FileInfo(factory.FileOf(tenant)).Length && u.StorageBytes > 0);
        }

        Assert.Equal(41, usage[0].Events);
        Assert.Equal(8, usage[0].Streams);
        await factory.DisposeAsync();
        await using var reopened = await OpenAsync(EventStoreOptions.Default);
        var read = await reopened.ReadUsageAsync(_a, null, null, Ct);
        Assert.Equal(5, Assert.Single(read).Reads);
    }

    [Fact]
    public async Task Usage_is_bucketed_by_the_utc_day_of_the_append()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 1, 23, 59, 0, TimeSpan.Zero));
        await using var factory = await OpenAsync(EventStoreOptions.Default with { TimeProvider = clock });
        await factory.CreateTenantAsync(_a, Ct);
        await using (var a = await factory.GetStoreAsync(_a, Ct))
        {
            await a.AppendAsync("s", ExpectedVersion.Any, [Event("x", 1), Event("x", 2)], Ct);
            clock.Now = clock.Now.AddMinutes(2);
            await a.AppendAsync("s", ExpectedVersion.Any, [Event("x", 3)], Ct);
            await a.AppendAsync("t", ExpectedVersion.Any, [Event("x", 4)], Ct);
        }

        var march1 = new DateOnly(2026, 3, 1);
        var march2 = new DateOnly(2026, 3, 2);
        Assert.Equal((2L, 1L), Pick(await factory.ReadUsageAsync(_a, march1, march1, Ct)));
        Assert.Equal((2L, 1L), Pick(await factory.ReadUsageAsync(_a, march2, null, Ct)));
        Assert.Equal((4L, 2L), Pick(await factory.ReadUsageAsync(_a, null, march2, Ct)));
        Assert.Equal((0L, 0L), Pick(await factory.ReadUsageAsync(_a, new DateOnly(2026, 3, 3), null, Ct)));
        var backwards = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await factory.ReadUsageAsync(_a, march2, march1, Ct));
        Assert.Contains("2026-03-02", backwards.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<UnknownTenantException>(async () => await factory.ReadUsageAsync(_b, null, null, Ct));

        static (long Events, long Streams) Pick(IReadOnlyList<TenantUsage> usage) => (Assert.Single(usage).Events, usage[0].Streams);
    }

    [Fact]
    public async Task A_store_opened_without_tenancy_meters_nothing()
    {
        var file = Path.Combine(_directory, "plain.db");
        await using (var store = await SqliteEventStore.OpenAsync(file, EventStoreOptions.Default, Ct))
        {
            await store.AppendAsync("s", ExpectedVersion.NoStream, [Event("x", 1)], Ct);
        }

        Assert.Equal(0, Assert.Single(await ReadTableAsync(file)));
    }

    internal static EventData Event(string type, int n) => new(EventData.NewEventId(), type, Encoding.UTF8.GetBytes($$"""{"n":{{n}},"pad":"{{new string('p', n % 50)}}"}"""));

    private static async Task<List<long>> ReadTableAsync(string file)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM tenant_usage";
        return [(long)(await command.ExecuteScalarAsync(Ct))!];
    }

    private ValueTask<SqliteTenantStoreFactory> OpenAsync(EventStoreOptions options)
        => SqliteTenantStoreFactory.OpenAsync(_directory + "/?tenancy=file&durability=relaxed", options, cancellationToken: Ct);

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
