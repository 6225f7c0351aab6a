using System.Text;
using Eventuali.Tenancy;
using Microsoft.Extensions.Time.Testing;

namespace Eventuali.Core.Tests.Tenancy;

/// <summary>In-memory tenant stores meter usage and enforce quotas with the same semantics as the SQLite tenant stores.</summary>
public sealed class MemoryTenantQuotaTests
{
    private readonly TenantId _a = TenantId.Parse("a");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_append_over_a_quota_is_refused_with_the_quota_named_and_nothing_written()
    {
        await using var factory = new InMemoryTenantStoreFactory();
        await factory.CreateTenantAsync(_a, Ct);
        await factory.SetConfigurationAsync(_a, new TenantConfiguration(new TenantQuotas(MaxEventsPerDay: 5, MaxStreams: 2, MaxBytes: 10_000)), Ct);
        await using var a = await factory.GetStoreAsync(_a, Ct);
        await a.AppendAsync("s1", ExpectedVersion.NoStream, [Ev(1), Ev(2), Ev(3)], Ct);

        var events = await Assert.ThrowsAsync<TenantQuotaExceededException>(async () => await a.AppendAsync("s2", ExpectedVersion.NoStream, [Ev(4), Ev(5), Ev(6)], Ct));
        Assert.Equal((_a, "events-per-day", 5L, 3L, 3L), (events.Tenant, events.Quota, events.Limit, events.Current, events.Requested));
        Assert.Null(await a.GetStreamVersionAsync("s2", Ct)); // not even the stream
        Assert.Equal(3, await a.GetHeadPositionAsync(Ct));

        await a.AppendAsync("s2", ExpectedVersion.NoStream, [Ev(7)], Ct);
        var streams = await Assert.ThrowsAsync<TenantQuotaExceededException>(async () => await a.AppendAsync("s3", ExpectedVersion.NoStream, [Ev(8)], Ct));
        Assert.Equal(("streams", 2L, 2L, 1L), (streams.Quota, streams.Limit, streams.Current, streams.Requested));
        await a.AppendAsync("s1", ExpectedVersion.Exact(3), [Ev(9)], Ct); // an existing stream still takes events

        // A changed quota applies to the store at once.
        await factory.SetConfigurationAsync(_a, new TenantConfiguration(new TenantQuotas(MaxBytes: 1)), Ct);
        var bytes = await Assert.ThrowsAsync<TenantQuotaExceededException>(async () => await a.AppendAsync("s3", ExpectedVersion.NoStream, [Ev(8)], Ct));
        Assert.Equal("bytes", bytes.Quota);
        var (count, stored, streamCount) = await CountAsync(a);
        Assert.Equal((5L, 2L), (count, streamCount));
        Assert.Equal(stored, bytes.Current);
        Assert.Contains(await factory.ReadAuditAsync(Ct), r => r.Action == "configured");
        Assert.Equal(new TenantQuotas(MaxBytes: 1), (await factory.GetConfigurationAsync(_a, Ct)).Quotas);
    }

    [Fact]
    public async Task Bad_configuration_and_unknown_tenants_are_refused()
    {
        await using var factory = new InMemoryTenantStoreFactory();
        await factory.CreateTenantAsync(_a, Ct);
        Assert.Equal(TenantConfiguration.Default, await factory.GetConfigurationAsync(_a, Ct));
        var negative = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await factory.SetConfigurationAsync(_a, new TenantConfiguration(new TenantQuotas(MaxBytes: -3)), Ct));
        Assert.Contains("max-bytes", negative.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<UnknownTenantException>(async () => await factory.SetConfigurationAsync(TenantId.Parse("nobody"), TenantConfiguration.Default, Ct));
        await Assert.ThrowsAsync<UnknownTenantException>(async () => await factory.ReadUsageAsync(TenantId.Parse("nobody"), null, null, Ct));
        await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await factory.ReadUsageAsync(null, new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 1), Ct));
    }

    [Fact]
    public async Task Usage_is_counted_per_UTC_day_of_the_stores_clock_and_equals_what_is_stored()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 23, 0, 0, TimeSpan.Zero));
        await using var factory = new InMemoryTenantStoreFactory(EventStoreOptions.Default with { TimeProvider = clock });
        var b = TenantId.Parse("b");
        await factory.CreateTenantAsync(_a, Ct);
        await factory.CreateTenantAsync(b, Ct);
        await factory.SetConfigurationAsync(_a, new TenantConfiguration(new TenantQuotas(MaxEventsPerDay: 4)), Ct);
        await using var a = await factory.GetStoreAsync(_a, Ct);
        await a.AppendAsync("s1", ExpectedVersion.NoStream, [Ev(1), Ev(2), Ev(3)], Ct);
        await Assert.ThrowsAsync<ConcurrencyException>(async () => await a.AppendAsync("s1", ExpectedVersion.NoStream, [Ev(4)], Ct)); // counts nothing

        clock.Advance(TimeSpan.FromHours(2)); // the next UTC day: the daily quota starts again
        await a.AppendAsync("s2", ExpectedVersion.NoStream, [Ev(4), Ev(5), Ev(6), Ev(7)], Ct);
        await Assert.ThrowsAsync<TenantQuotaExceededException>(async () => await a.AppendAsync("s2", ExpectedVersion.Any, [Ev(8)], Ct));

        var march1 = Assert.Single(await factory.ReadUsageAsync(_a, new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 1), Ct));
        var march2 = Assert.Single(await factory.ReadUsageAsync(_a, new DateOnly(2026, 3, 2), null, Ct));
        Assert.Equal((3L, 1L, 0L), (march1.Events, march1.Streams, march1.Reads));
        Assert.Equal((4L, 1L), (march2.Events, march2.Streams));

        var (count, bytes, streams) = await CountAsync(a); // 7 reads, counted on March 2
        var all = await factory.ReadUsageAsync(null, null, null, Ct);
        Assert.Equal([_a, b], all.Select(u => u.Tenant));
        Assert.Equal((count, bytes, streams, 7L, bytes), (all[0].Events, all[0].Bytes, all[0].Streams, all[0].Reads, all[0].StorageBytes));
        Assert.Equal(new TenantUsage(b, null, null, 0, 0, 0, 0, 0), all[1]);
    }

    private static EventData Ev(int n) => new(EventData.NewEventId(), "q", Encoding.UTF8.GetBytes($"{{\"n\":{n}}}"));

    private static async Task<(long Events, long Bytes, long Streams)> CountAsync(IEventStore store)
    {
        var rows = await store.ReadAllAsync(cancellationToken: Ct).ToListAsync(Ct);
        return (rows.Count, rows.Sum(e => (long)e.Data.Length), rows.Select(e => e.StreamId).Distinct(StringComparer.Ordinal).Count());
    }
}
