using System.Collections.Concurrent;
using System.Text;
using Npgsql;

namespace Eventuali.PostgreSql.Tests;

/// <summary>
/// Multi-host URLs (<c>postgresql://h1:p1,h2:p2/db?target=primary</c>, mapped to Npgsql's host list and Target Session
/// Attributes), and appends in flight while the server keeps dropping the store's connections: each one is either
/// acknowledged and stored once, or fails with a retryable typed error, never both and never silently.
/// </summary>
public sealed class MultiHostTests : IAsyncLifetime
{
    private readonly PostgreSqlStoreFixture _schemas = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_host_list_skips_a_dead_host_and_target_picks_the_primary()
    {
        var url = await _schemas.OpenUrlAsync("multihost");
        var b = PgUrl.Parse(url).Builder;
        // Port 1 on loopback refuses at once: the first host of the list is down.
        var hosts = $"{b.Host}:1,{b.Host}:{b.Port}";
        var multi = url.Replace($"{b.Host}:{b.Port}", hosts, StringComparison.Ordinal) + "&target=primary";
        await using (var store = await PostgreSqlEventStore.OpenAsync(multi, EventStoreOptions.Default, Ct))
        {
            await store.AppendAsync("order-1", ExpectedVersion.NoStream, [TestEvents.Json("placed")], Ct);
            Assert.Single(await store.ReadStreamAsync("order-1", cancellationToken: Ct).ToListAsync(Ct));
        }

        // The only live server is a primary: asking for a standby finds none, and says so as a transient outage.
        var standby = multi.Replace("target=primary", "target=standby", StringComparison.Ordinal);
        var none = await Assert.ThrowsAnyAsync<EventStoreUnavailableException>(async () =>
        {
            await using var s = await PostgreSqlEventStore.OpenAsync(standby, EventStoreOptions.Default, Ct);
        });
        Assert.DoesNotContain("eventuali:eventuali", none.Message, StringComparison.Ordinal);

        var bad = Assert.Throws<EventStoreConfigurationException>(() => PgUrl.Parse(multi.Replace("target=primary", "target=leader", StringComparison.Ordinal)));
        Assert.Contains("'target' must be one of any, primary, standby", bad.Message, StringComparison.Ordinal);
        Assert.Contains("'leader'", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Appends_in_flight_while_connections_drop_are_acknowledged_and_stored_once_or_fail_retryably()
    {
        var app = $"ha-drop-{Guid.NewGuid():N}"[..20];
        var url = await _schemas.OpenUrlAsync("drops") + "&application_name=" + app;
        await using var store = await PostgreSqlEventStore.OpenAsync(url, EventStoreOptions.Default, Ct);
        var acknowledged = new ConcurrentDictionary<Guid, string>();
        var refused = new ConcurrentDictionary<Guid, string>();
        var unknown = 0;
        var unavailable = 0;
        using var stop = new CancellationTokenSource();
        // Drops for a bounded time (40 rounds, 100 ms apart) while the writers run; they finish on a healthy server.
        var killer = Task.Run(async () =>
        {
            await using var raw = await PgTestServer.RawAsync();
            for (var round = 0; round < 40 && !stop.IsCancellationRequested; round++)
            {
                await using var cmd = raw.CreateCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1");
                cmd.Parameters.Add(new NpgsqlParameter { Value = app });
                await cmd.ExecuteScalarAsync(CancellationToken.None);
                await Task.Delay(100, CancellationToken.None);
            }
        }, CancellationToken.None);

        var writers = Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                var e = new EventData(Guid.NewGuid(), "deposited", Encoding.UTF8.GetBytes($$"""{"w":{{w}},"i":{{i}}}"""));
                // After an unknown outcome the retry repeats the same event id (a stored append is answered with its first
                // result, never written twice); after a refusal it uses a new one, and the refused id must never be stored.
                while (true)
                {
                    try
                    {
                        await store.AppendAsync($"writer-{w}", ExpectedVersion.Any, [e], Ct);
                        Assert.True(acknowledged.TryAdd(e.EventId, $"writer-{w}"));
                        break;
                    }
                    catch (AppendOutcomeUnknownException)
                    {
                        Interlocked.Increment(ref unknown);
                    }
                    catch (EventStoreUnavailableException ex) when (ex.IsTransient)
                    {
                        Interlocked.Increment(ref unavailable);
                        refused[e.EventId] = $"writer-{w}";
                        e = new EventData(Guid.NewGuid(), e.EventType, e.Data);
                    }
                }
            }
        }, Ct)).ToList();
        await Task.WhenAll(writers);
        await stop.CancelAsync();
        await killer;

        Assert.True(unknown + unavailable > 0, "no connection was dropped during an append: the test proved nothing");
        var stored = new Dictionary<Guid, int>();
        for (var w = 0; w < 16; w++)
        {
            // A pooled connection whose backend was terminated while it sat idle fails its next use once, retryably
            // (57P01 is queued on its socket); the count of a stream starts again on such a refusal.
            for (var attempt = 1; ; attempt++)
            {
                var counted = new Dictionary<Guid, int>();
                try
                {
                    await foreach (var e in store.ReadStreamAsync($"writer-{w}", cancellationToken: Ct))
                    {
                        counted[e.EventId] = counted.GetValueOrDefault(e.EventId) + 1;
                    }
                }
                catch (EventStoreUnavailableException ex) when (ex.IsTransient && attempt < 5)
                {
                    continue;
                }

                foreach (var (id, n) in counted)
                {
                    stored[id] = stored.GetValueOrDefault(id) + n;
                }

                break;
            }
        }

        Assert.Equal(16 * 25, acknowledged.Count);
        Assert.Equal(acknowledged.Keys.Order(), stored.Keys.Order());
        Assert.All(stored.Values, n => Assert.Equal(1, n));
        Assert.DoesNotContain(refused.Keys, stored.ContainsKey);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _schemas.DisposeAsync();
}
