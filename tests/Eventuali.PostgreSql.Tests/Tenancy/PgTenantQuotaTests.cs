using Eventuali.Tenancy;

namespace Eventuali.PostgreSql.Tests.Tenancy;

/// <summary>Schema per tenant: usage metered in the append transaction, quotas enforced before anything is written.</summary>
public sealed class PgTenantQuotaTests : IAsyncLifetime
{
    private readonly string _base = PgTenants.NewBase();
    private readonly TenantId _a = TenantId.Parse("a");
    private readonly TenantId _b = TenantId.Parse("b");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await PgTenants.DropAsync(_base);

    [Fact]
    public async Task Usage_equals_the_stored_rows_per_tenant_and_counts_reads()
    {
        await using var factory = await PgTenants.OpenAsync(_base);
        await factory.CreateTenantAsync(_a, Ct);
        await factory.CreateTenantAsync(_b, Ct);
        await using (var a = await factory.GetStoreAsync(_a, Ct))
        {
            // Concurrent appends, so group-committed batches (append_many) are metered too.
            await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
                await a.AppendAsync($"s-{i}", ExpectedVersion.Any, [PgTenants.Event("x", i), PgTenants.Event("y", i * 31)], Ct), Ct)));

            // A retry of a stored append writes nothing and so counts nothing; nor does a refused one.
            var again = PgTenants.Event("z", 3);
            await a.AppendAsync("s-retry", ExpectedVersion.NoStream, [again], Ct);
            await a.AppendAsync("s-retry", ExpectedVersion.NoStream, [again], Ct);
            await Assert.ThrowsAsync<ConcurrencyException>(async () => await a.AppendAsync("s-0", ExpectedVersion.NoStream, [PgTenants.Event("w", 1)], Ct));
            Assert.Equal(3, await a.ReadStreamAsync("s-retry", cancellationToken: Ct).CountAsync(Ct) + await a.ReadStreamAsync("s-1", maxCount: 4, cancellationToken: Ct).CountAsync(Ct));
        }

        await using (var b = await factory.GetStoreAsync(_b, Ct))
        {
            await b.AppendAsync("s-0", ExpectedVersion.NoStream, [PgTenants.Event("x", 1)], Ct);
        }

        await factory.DisposeAsync(); // closing writes the reads not yet written
        await using var reopened = await PgTenants.OpenAsync(_base);
        var usage = await reopened.ReadUsageAsync(null, null, null, Ct);
        Assert.Equal([_a, _b], usage.Select(u => u.Tenant));
        foreach (var u in usage)
        {
            var rows = await PgTenants.CountAsync(reopened.SchemaOf(u.Tenant));
            Assert.Equal(rows, (u.Events, u.Bytes, u.Streams));
            Assert.True(u.StorageBytes > 0);
        }

        Assert.Equal((41L, 21L, 3L), (usage[0].Events, usage[0].Streams, usage[0].Reads));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.Equal(0, (await reopened.ReadUsageAsync(_a, today.AddDays(2), today.AddDays(3), Ct)).Single().Events);
    }

    [Fact]
    public async Task An_append_over_a_quota_is_refused_with_the_quota_named_and_nothing_written()
    {
        await using var factory = await PgTenants.OpenAsync(_base);
        await factory.CreateTenantAsync(_a, Ct);
        await factory.SetConfigurationAsync(_a, new TenantConfiguration(new TenantQuotas(MaxEventsPerDay: 5, MaxStreams: 2, MaxBytes: 10_000)), Ct);
        await using var a = await factory.GetStoreAsync(_a, Ct);
        await a.AppendAsync("s1", ExpectedVersion.NoStream, [PgTenants.Event("q", 1), PgTenants.Event("q", 2), PgTenants.Event("q", 3)], Ct);

        var events = await Assert.ThrowsAsync<TenantQuotaExceededException>(async () => await a.AppendAsync("s2", ExpectedVersion.NoStream, [PgTenants.Event("q", 4), PgTenants.Event("q", 5), PgTenants.Event("q", 6)], Ct));
        Assert.Equal((_a, "events-per-day", 5L, 3L, 3L), (events.Tenant, events.Quota, events.Limit, events.Current, events.Requested));
        Assert.Null(await a.GetStreamVersionAsync("s2", Ct)); // not even the stream row

        await a.AppendAsync("s2", ExpectedVersion.NoStream, [PgTenants.Event("q", 7)], Ct);
        var streams = await Assert.ThrowsAsync<TenantQuotaExceededException>(async () => await a.AppendAsync("s3", ExpectedVersion.NoStream, [PgTenants.Event("q", 8)], Ct));
        Assert.Equal(("streams", 2L, 2L, 1L), (streams.Quota, streams.Limit, streams.Current, streams.Requested));
        await a.AppendAsync("s1", ExpectedVersion.Exact(3), [PgTenants.Event("q", 9)], Ct); // an existing stream still takes events

        // A change through the factory applies to the open store at once.
        await factory.SetConfigurationAsync(_a, new TenantConfiguration(new TenantQuotas(MaxBytes: 1)), Ct);
        var bytes = await Assert.ThrowsAsync<TenantQuotaExceededException>(async () => await a.AppendAsync("s3", ExpectedVersion.NoStream, [PgTenants.Event("q", 8)], Ct));
        Assert.Equal("bytes", bytes.Quota);
        var rows = await PgTenants.CountAsync(factory.SchemaOf(_a));
        Assert.Equal((5L, 2L), (rows.Events, rows.Streams));
        Assert.Equal(rows.Bytes, bytes.Current);
        Assert.Equal(TenantConfiguration.Default with { Quotas = new TenantQuotas(MaxBytes: 1) }, await factory.GetConfigurationAsync(_a, Ct));
    }
}
