using System.Collections.Concurrent;
using System.Diagnostics;
using Eventuali.Subscriptions;
using Npgsql;

namespace Eventuali.PostgreSql.Tests;

/// <summary>
/// A commit can be visible on the primary before its synchronous standby has it: its wait for the standby cancelled
/// (as here) or cut short by the primary's crash. A failover loses it, so the global log must not hand it out until
/// the standby has it. The standby's WAL receiver is paused (scripts/patroni.sh pause-standby) to hold it there.
/// </summary>
[Collection(nameof(PatroniCollection))]
public sealed class PatroniDurableReadTests
{
    private const string Waiting = "SELECT pid, query LIKE '%eventuali.durable%' FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'SyncRep' AND pid <> pg_backend_pid()";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_commit_visible_on_the_primary_only_is_delivered_once_the_synchronous_standby_has_it()
    {
        var schema = PgTestServer.NewSchemaName("durable");
        var url = PgTestServer.WithSchema(PatroniFailoverTests.Url, schema);
        await using var store = await PostgreSqlEventStore.OpenAsync(url, EventStoreOptions.Default, Ct);
        await using var admin = NpgsqlDataSource.Create(PgUrl.Parse(PatroniFailoverTests.Url).Builder.ConnectionString);
        await store.AppendAsync("before", ExpectedVersion.NoStream, [EventData.Json("noted", "{}")], Ct);

        var live = new ConcurrentQueue<RecordedEvent>();
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in store.SubscribeToAllAsync(0, null, SubscriptionRetryOptions.Default, stopReading.Token))
                {
                    live.Enqueue(e);
                }
            }
            catch (OperationCanceledException) when (stopReading.IsCancellationRequested)
            {
            }
        }, Ct);
        await WaitUntilAsync(() => Task.FromResult(!live.IsEmpty), "the subscription did not deliver the first event");

        var held = EventData.Json("noted", "{}");
        await TestScripts.RunAsync("patroni.sh", "pause-standby", TimeSpan.FromSeconds(150), Ct); // waits for a synchronous standby first
        try
        {
            // The append's commit waits for the paused standby; cancelling that wait leaves it committed on the primary only.
            var append = store.AppendAsync("held", ExpectedVersion.NoStream, [held], Ct).AsTask();
            var committer = 0;
            await WaitUntilAsync(async () => (committer = (await WaitingAsync(admin)).FirstOrDefault(w => !w.Barrier).Pid) != 0, "the append did not wait for the standby");
            await using (var cancel = admin.CreateCommand($"SELECT pg_cancel_backend({committer})"))
            {
                await cancel.ExecuteScalarAsync(Ct);
            }

            await append; // acknowledged: PostgreSQL reports the cancelled wait as a warning only
            await using (var visible = admin.CreateCommand($"SELECT count(*) FROM \"{schema}\".events WHERE event_id = '{held.EventId}'"))
            {
                Assert.Equal(1L, (long)(await visible.ExecuteScalarAsync(Ct))!);
            }

            // The subscription reads it and then waits for the standby itself, rather than handing it out.
            await WaitUntilAsync(async () => live.Any(e => e.EventId == held.EventId) || (await WaitingAsync(admin)).Any(w => w.Barrier), "the subscription neither delivered the event nor waited for the standby");
            Assert.DoesNotContain(live, e => e.EventId == held.EventId);
        }
        finally
        {
            await TestScripts.RunAsync("patroni.sh", "resume-standby", TimeSpan.FromSeconds(30), Ct);
        }

        await WaitUntilAsync(() => Task.FromResult(live.Any(e => e.EventId == held.EventId)), "the event was not delivered once the standby had it");
        await stopReading.CancelAsync();
        await reader;
        var log = await store.ReadAllAsync(cancellationToken: Ct).ToListAsync(Ct);
        var difference = LogDifference.Describe(log, [.. live]);
        Assert.True(difference is null, difference);
        await using (var drop = admin.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
        {
            await drop.ExecuteNonQueryAsync(Ct);
        }
    }

    private static async Task<List<(int Pid, bool Barrier)>> WaitingAsync(NpgsqlDataSource admin)
    {
        var waiting = new List<(int, bool)>();
        await using var cmd = admin.CreateCommand(Waiting);
        await using var reader = await cmd.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            waiting.Add((reader.GetInt32(0), reader.GetBoolean(1)));
        }

        return waiting;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), failure);
            await Task.Delay(50, Ct);
        }
    }
}
