using System.Diagnostics;
using Npgsql;

namespace Eventuali.PostgreSql.Tests;

/// <summary>
/// One append whose transaction stalls in the server (a trigger that sleeps, standing for a lock wait, an I/O
/// stall or a slow network) must hold up only its own batch: appends of the same store to other streams commit
/// meanwhile on other connections, and a later append of the stalled stream waits for it, in order.
/// Each test owns its schema, so the trigger touches no other test's events.
/// </summary>
public sealed class SlowTransactionTests : IAsyncLifetime
{
    private const string SlowStream = "slow-1";
    private const int SleepSeconds = 5;
    private const int OneLaneSleepSeconds = 2;

    private readonly PostgreSqlStoreFixture _stores = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _stores.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Forty_appends_to_other_streams_commit_while_one_transaction_is_stalled()
    {
        await using var store = await _stores.CreateStoreAsync(purpose: "slow_tx");
        await store.AppendAsync("warm-up", ExpectedVersion.NoStream, TestEvents.Many(1), Ct);
        await InstallSleepingTriggerAsync(store.Schema, SleepSeconds);

        var slow = store.AppendAsync(SlowStream, ExpectedVersion.NoStream, [TestEvents.Json("slow")], Ct).AsTask();
        await WaitUntilSleepingAsync(store.Schema);
        // Same stream: queues behind the stalled append, and must not take a fast batch down with it.
        var follower = store.AppendAsync(SlowStream, ExpectedVersion.Any, [TestEvents.Json("after-slow")], Ct).AsTask();

        var clock = Stopwatch.StartNew();
        var fast = Enumerable.Range(0, 40)
            .Select(i => store.AppendAsync($"fast-{i:D2}", ExpectedVersion.NoStream, [TestEvents.Json("fast")], Ct).AsTask())
            .ToArray();
        var fastResults = await Task.WhenAll(fast);
        var fastDone = clock.Elapsed;
        var slowWasPending = !slow.IsCompleted;
        var followerWasPending = !follower.IsCompleted;

        var slowResult = await slow;
        var slowDone = clock.Elapsed;
        var followerResult = await follower;
        TestContext.Current.TestOutputHelper?.WriteLine($"40 fast appends done at {fastDone.TotalMilliseconds:F0} ms, the stalled one at {slowDone.TotalMilliseconds:F0} ms");

        Assert.True(slowWasPending, $"the 40 appends to other streams finished at {fastDone.TotalMilliseconds:F0} ms, only after the stalled transaction");
        Assert.True(followerWasPending, "the second append of the stalled stream committed before the first");
        Assert.True(fastDone < slowDone - TimeSpan.FromSeconds(1), $"fast appends at {fastDone.TotalMilliseconds:F0} ms, stalled one at {slowDone.TotalMilliseconds:F0} ms");
        Assert.All(fastResults, r => Assert.Equal(1, r.StreamVersion));
        Assert.Equal((1L, 2L), (slowResult.StreamVersion, followerResult.StreamVersion));
        Assert.True(followerResult.LastPosition > slowResult.LastPosition);

        // The log holds every event once, in position order, the stalled one included.
        await TestEvents.WaitUntilReadableAsync(store, followerResult.LastPosition);
        var log = await store.ReadAllAsync(cancellationToken: Ct).ToListAsync(Ct);
        Assert.Equal(43, log.Count);
        Assert.Equal(log.Select(e => e.Position).Order(), log.Select(e => e.Position));
        Assert.Equal(["slow", "after-slow"], log.Where(e => e.StreamId == SlowStream).Select(e => e.EventType));
        Assert.Equal(40, log.Count(e => e.EventType == "fast"));
    }

    [Fact]
    public async Task With_one_batch_in_flight_the_other_appends_wait_for_the_stalled_one()
    {
        // append_batches=1 is the single-lane committer: the bound is real, and what it costs is visible.
        await using var store = await _stores.CreateStoreAsync(purpose: "slow_one_lane", urlQuery: "append_batches=1");
        await store.AppendAsync("warm-up", ExpectedVersion.NoStream, TestEvents.Many(1), Ct);
        await InstallSleepingTriggerAsync(store.Schema, OneLaneSleepSeconds);

        var clock = Stopwatch.StartNew();
        var slow = store.AppendAsync(SlowStream, ExpectedVersion.NoStream, [TestEvents.Json("slow")], Ct).AsTask();
        await WaitUntilSleepingAsync(store.Schema);
        var fast = Enumerable.Range(0, 10)
            .Select(i => store.AppendAsync($"fast-{i:D2}", ExpectedVersion.NoStream, [TestEvents.Json("fast")], Ct).AsTask())
            .ToArray();
        await Task.WhenAll(fast);
        var fastDone = clock.Elapsed;

        // The trigger slept the full time after the clock started, and the others could only commit after it.
        Assert.True(fastDone >= TimeSpan.FromSeconds(OneLaneSleepSeconds), $"with one lane the others finished at {fastDone.TotalMilliseconds:F0} ms, before the stalled append");
        Assert.Equal(1, (await slow).StreamVersion);
    }

    /// <summary>A row trigger that sleeps for the first event of <see cref="SlowStream"/> only.</summary>
    private static async Task InstallSleepingTriggerAsync(string schema, int seconds)
    {
        var q = $"\"{schema}\"";
        await using var raw = await PgTestServer.RawAsync();
        await using var cmd = raw.CreateCommand($"""
            CREATE FUNCTION {q}.stall() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.version = 1 AND EXISTS (SELECT 1 FROM {q}.streams WHERE id = NEW.stream_id AND name = '{SlowStream}') THEN
                PERFORM pg_sleep({seconds});
              END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER stall BEFORE INSERT ON {q}.events FOR EACH ROW EXECUTE FUNCTION {q}.stall();
            """);
        await cmd.ExecuteNonQueryAsync(Ct);
    }

    /// <summary>Waits until a session of this schema's store sleeps inside the trigger.</summary>
    private static async Task WaitUntilSleepingAsync(string schema)
    {
        await using var raw = await PgTestServer.RawAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using (var cmd = raw.CreateCommand("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND strpos(query, $1) > 0)"))
            {
                cmd.Parameters.Add(new NpgsqlParameter { Value = $"\"{schema}\"." });
                if ((bool)(await cmd.ExecuteScalarAsync(Ct))!)
                {
                    return;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, "the stalled append never reached its trigger");
            await Task.Delay(10, Ct);
        }
    }
}
