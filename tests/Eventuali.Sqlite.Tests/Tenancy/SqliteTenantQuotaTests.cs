using Eventuali.Tenancy;

namespace Eventuali.Sqlite.Tests.Tenancy;

/// <summary>File-per-tenant SQLite: quotas stored in the registry, enforced in the append transaction before anything is written.</summary>
public sealed class SqliteTenantQuotaTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eventuali-quota-").FullName;
    private readonly TenantId _a = TenantId.Parse("a");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task An_append_over_a_quota_is_refused_with_the_quota_named_and_nothing_written()
    {
        await using var factory = await OpenAsync();
        await factory.CreateTenantAsync(_a, Ct);
        await factory.SetConfigurationAsync(_a, new TenantConfiguration(new TenantQuotas(MaxEventsPerDay: 5, MaxStreams: 2, MaxBytes: 10_000)), Ct);
        await using var a = await factory.GetStoreAsync(_a, Ct);
        await a.AppendAsync("s1", ExpectedVersion.NoStream, [Ev(1), Ev(2), Ev(3)], Ct);

        var events = await Assert.ThrowsAsync<TenantQuotaExceededException>(async () => await a.AppendAsync("s2", ExpectedVersion.NoStream, [Ev(4), Ev(5), Ev(6)], Ct));
        Assert.Equal((_a, "events-per-day", 5L, 3L, 3L), (events.Tenant, events.Quota, events.Limit, events.Current, events.Requested));
        Assert.Contains("events-per-day", events.Message, StringComparison.Ordinal);
        Assert.Null(await a.GetStreamVersionAsync("s2", Ct)); // not even the stream row

        await a.AppendAsync("s2", ExpectedVersion.NoStream, [Ev(7)], Ct);
        var streams = await Assert.ThrowsAsync<TenantQuotaExceededException>(async () => await a.AppendAsync("s3", ExpectedVersion.NoStream, [Ev(8)], Ct));
        Assert.Equal(("streams", 2L, 2L, 1L), (streams.Quota, streams.Limit, streams.Current, streams.Requested));
        await a.AppendAsync("s1", ExpectedVersion.Exact(3), [Ev(9)], Ct); // an existing stream still takes events

        // Raising a quota applies to the open store at once.
        await factory.SetConfigurationAsync(_a, new TenantConfiguration(new TenantQuotas(MaxBytes: 1)), Ct);
        var bytes = await Assert.ThrowsAsync<TenantQuotaExceededException>(async () => await a.AppendAsync("s3", ExpectedVersion.NoStream, [Ev(8)], Ct));
        Assert.Equal("bytes", bytes.Quota);
        var rows = await TenantUsageCounts.CountAsync(factory.FileOf(_a));
        Assert.Equal(new TenantUsageCounts(5, rows.Bytes, 2), rows);
        Assert.Equal(rows.Bytes, bytes.Current);
    }

    [Fact]
    public async Task Quotas_are_stored_in_the_registry_applied_at_open_and_checked()
    {
        await using (var factory = await OpenAsync())
        {
            await factory.CreateTenantAsync(_a, Ct);
            Assert.Equal(TenantConfiguration.Default, await factory.GetConfigurationAsync(_a, Ct));
            await factory.SetConfigurationAsync(_a, new TenantConfiguration(new TenantQuotas(MaxStreams: 1)), Ct);
            var negative = await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await factory.SetConfigurationAsync(_a, new TenantConfiguration(new TenantQuotas(MaxBytes: -3)), Ct));
            Assert.Contains("max-bytes", negative.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<UnknownTenantException>(async () => await factory.SetConfigurationAsync(TenantId.Parse("nobody"), TenantConfiguration.Default, Ct));
            Assert.Contains(await factory.ReadAuditAsync(Ct), r => r.Action == "configured");
        }

        await using var reopened = await OpenAsync();
        Assert.Equal(new TenantQuotas(MaxStreams: 1), (await reopened.GetConfigurationAsync(_a, Ct)).Quotas);
        await using var a = await reopened.GetStoreAsync(_a, Ct);
        await a.AppendAsync("s1", ExpectedVersion.NoStream, [Ev(1)], Ct);
        await Assert.ThrowsAsync<TenantQuotaExceededException>(async () => await a.AppendAsync("s2", ExpectedVersion.NoStream, [Ev(2)], Ct));
    }

    [Fact]
    public async Task A_tenant_durability_is_stored_and_applied_when_its_store_opens()
    {
        var b = TenantId.Parse("b");
        await using var factory = await OpenAsync();
        await factory.CreateTenantAsync(_a, Ct);
        await factory.CreateTenantAsync(b, Ct);
        await factory.SetConfigurationAsync(_a, new TenantConfiguration(Durability: Durability.Full), Ct);
        await using var a = await factory.GetStoreAsync(_a, Ct);
        await using var other = await factory.GetStoreAsync(b, Ct);
        Assert.Equal((Durability.Full, Durability.Relaxed), (a.Options.Durability, other.Options.Durability)); // b keeps the URL's
        Assert.Equal(Durability.Full, (await factory.GetConfigurationAsync(_a, Ct)).Durability);
        await Assert.ThrowsAsync<EventStoreConfigurationException>(async () => await factory.SetConfigurationAsync(b, new TenantConfiguration(Durability: (Durability)7), Ct));
    }

    private static EventData Ev(int n) => SqliteTenantUsageTests.Event("q", n);

    private ValueTask<SqliteTenantStoreFactory> OpenAsync()
        => SqliteTenantStoreFactory.OpenAsync(_directory + "/?tenancy=file&durability=relaxed", EventStoreOptions.Default, cancellationToken: Ct);
}
