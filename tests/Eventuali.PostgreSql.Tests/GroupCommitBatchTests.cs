using Eventuali.Lifecycle;
using Npgsql;

namespace Eventuali.PostgreSql.Tests;

/// <summary>
/// Appends that share one group-commit transaction (one call of append_many). A raw transaction holds the
/// store's meta table locked, so the first append's call waits in the server while the others queue behind
/// it; releasing the lock lets the first commit alone and the queued ones go in one batch. That they did is
/// checked, not assumed: the batch's events carry one transaction id in their positions.
/// </summary>
public sealed class GroupCommitBatchTests : IAsyncLifetime
{
    // One batch in flight at a time, so the appends queued behind the held lead form one batch.
    private const string OneLane = "append_batches=1";

    private readonly PostgreSqlStoreFixture _stores = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _stores.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_batch_of_plain_appends_commits_every_event_with_its_own_versions_metadata_and_payload()
    {
        await using var store = await _stores.CreateStoreAsync(purpose: "batch_fast", urlQuery: OneLane);
        await store.AppendAsync("b-exact", ExpectedVersion.NoStream, TestEvents.Many(2), Ct);
        await store.AppendAsync("c-any", ExpectedVersion.NoStream, TestEvents.Many(1), Ct);
        await store.AppendAsync("d-exists", ExpectedVersion.NoStream, TestEvents.Many(4), Ct);

        var withMeta = new[]
        {
            EventData.Json("opened", """{"a":1}""", new EventMetadata(CorrelationId: "corr-1")),
            EventData.Json("named", """{"b":"x"}"""),
            EventData.Json("tagged", """{"c":[1,2]}""", new EventMetadata(ActorId: "actor-9", Headers: new Dictionary<string, string> { ["h"] = "v" })),
        };
        var binary = new EventData(EventData.NewEventId(), "blob", new byte[] { 0, 1, 2, 255 }, new EventMetadata(CausationId: "cause-2"), ContentTypes.Binary);
        var appends = new (string Stream, ExpectedVersion Expected, EventData[] Events)[]
        {
            ("e-new-any", ExpectedVersion.Any, TestEvents.Many(2)),
            ("a-new", ExpectedVersion.NoStream, withMeta),
            ("b-exact", ExpectedVersion.Exact(2), [binary]),
            ("c-any", ExpectedVersion.Any, TestEvents.Many(2)),
            ("d-exists", ExpectedVersion.StreamExists, TestEvents.Many(1)),
        };

        var outcomes = await InOneBatchAsync(store, [.. appends.Select(a => (Func<ValueTask<AppendResult>>)(() => store.AppendAsync(a.Stream, a.Expected, a.Events, Ct)))]);

        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal([2L, 3, 3, 3, 5], outcomes.Select(o => o.Result!.Value.StreamVersion));
        AssertOneTransaction(outcomes);
        // The batch goes in stream-name order: a-new, b-exact, c-any, d-exists, e-new-any.
        var order = outcomes.Select((o, i) => (appends[i].Stream, o.Result!.Value.LastPosition)).OrderBy(x => x.LastPosition).Select(x => x.Stream);
        Assert.Equal(["a-new", "b-exact", "c-any", "d-exists", "e-new-any"], order);

        for (var i = 0; i < appends.Length; i++)
        {
            var stored = await store.ReadStreamAsync(appends[i].Stream, cancellationToken: Ct).ToListAsync(Ct);
            var mine = stored.TakeLast(appends[i].Events.Length).ToList();
            Assert.Equal(Enumerable.Range(1, stored.Count).Select(v => (long)v), stored.Select(e => e.StreamVersion));
            Assert.Equal(appends[i].Events.Select(e => e.EventId), mine.Select(e => e.EventId));
            Assert.Equal(appends[i].Events.Select(e => e.EventType), mine.Select(e => e.EventType));
            Assert.Equal(appends[i].Events.Select(e => e.ContentType), mine.Select(e => e.ContentType));
            Assert.Equal(outcomes[i].Result!.Value.LastPosition, mine[^1].Position);
        }

        var a = await store.ReadStreamAsync("a-new", cancellationToken: Ct).ToListAsync(Ct);
        Assert.Equal("corr-1", a[0].Metadata.CorrelationId);
        Assert.Equal((null, null, null), (a[1].Metadata.CorrelationId, a[1].Metadata.ActorId, a[1].Metadata.Headers));
        Assert.Equal(("actor-9", "v"), (a[2].Metadata.ActorId, a[2].Metadata.Headers!["h"]));
        Assert.Equal("""{"c": [1, 2]}""", System.Text.Encoding.UTF8.GetString(a[2].Data.Span));
        var b = await store.ReadStreamAsync("b-exact", fromVersion: 3, cancellationToken: Ct).SingleAsync(Ct);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, b.Data.ToArray());
        Assert.Equal("cause-2", b.Metadata.CausationId);
    }

    [Fact]
    public async Task In_one_batch_each_refused_append_gets_its_own_error_and_the_others_commit()
    {
        await using var store = await _stores.CreateStoreAsync(purpose: "batch_mixed", urlQuery: OneLane);
        var kept = TestEvents.Many(2);
        var original = await store.AppendAsync("k-target", ExpectedVersion.NoStream, kept, Ct);
        await store.AppendAsync("m-deleted", ExpectedVersion.NoStream, TestEvents.Many(1), Ct);
        Assert.True(await store.DeleteStreamAsync("m-deleted", DeleteMode.Soft, Ct));
        var storedId = TestEvents.Json();
        await store.AppendAsync("p-stored", ExpectedVersion.NoStream, [storedId], Ct);
        var reused = new EventData(storedId.EventId, "again", """{"n":2}"""u8.ToArray());

        var outcomes = await InOneBatchAsync(store,
            () => store.AppendAsync("a-ok", ExpectedVersion.NoStream, TestEvents.Many(2), Ct),
            () => store.AppendAsync("k-target", ExpectedVersion.Exact(1), TestEvents.Many(1), Ct),
            () => store.AppendAsync("k-target", ExpectedVersion.NoStream, kept, Ct),
            () => store.AppendAsync("m-deleted", ExpectedVersion.Any, TestEvents.Many(1), Ct),
            () => store.AppendAsync("n-bad-json", ExpectedVersion.NoStream, [TestEvents.Json(json: "{\"s\":\"\\u0000\"}")], Ct),
            () => store.AppendAsync("q-dup-id", ExpectedVersion.NoStream, [TestEvents.Json(), reused], Ct),
            () => store.AppendAsync("r-same", ExpectedVersion.Any, TestEvents.Many(1), Ct),
            () => store.AppendAsync("r-same", ExpectedVersion.Any, TestEvents.Many(3), Ct));

        Assert.Equal(2, outcomes[0].Result!.Value.StreamVersion);
        var conflict = Assert.IsType<ConcurrencyException>(outcomes[1].Error);
        Assert.Equal(("k-target", (long?)2), (conflict.StreamId, conflict.ActualVersion));
        Assert.Equal(original, outcomes[2].Result);
        Assert.False(Assert.IsType<StreamDeletedException>(outcomes[3].Error).IsTombstoned);
        Assert.Contains("n-bad-json", Assert.IsType<ArgumentException>(outcomes[4].Error).Message, StringComparison.Ordinal);
        var duplicate = Assert.IsType<DuplicateEventIdException>(outcomes[5].Error);
        Assert.Equal((storedId.EventId, "p-stored", (long?)1), (duplicate.EventId, duplicate.ExistingStreamId, duplicate.ExistingVersion));
        Assert.Equal([1L, 4], new[] { outcomes[6], outcomes[7] }.Select(o => o.Result!.Value.StreamVersion));
        AssertOneTransaction([outcomes[0], outcomes[6], outcomes[7]]);

        Assert.Equal(2, await store.ReadStreamAsync("k-target", cancellationToken: Ct).CountAsync(Ct));
        Assert.Equal(0, await store.ReadStreamAsync("n-bad-json", cancellationToken: Ct).CountAsync(Ct));
        Assert.Equal(0, await store.ReadStreamAsync("q-dup-id", cancellationToken: Ct).CountAsync(Ct));
        Assert.Equal([1L, 2, 3, 4], await store.ReadStreamAsync("r-same", cancellationToken: Ct).Select(e => e.StreamVersion).ToListAsync(Ct));
    }

    [Fact]
    public async Task An_event_id_used_twice_within_one_batch_is_stored_once_and_the_second_append_is_refused()
    {
        await using var store = await _stores.CreateStoreAsync(purpose: "batch_dup", urlQuery: OneLane);
        var shared = TestEvents.Json();
        var outcomes = await InOneBatchAsync(store,
            () => store.AppendAsync("s-one", ExpectedVersion.NoStream, [shared], Ct),
            () => store.AppendAsync("s-two", ExpectedVersion.NoStream, [TestEvents.Json(), shared], Ct),
            () => store.AppendAsync("s-three", ExpectedVersion.NoStream, TestEvents.Many(2), Ct));

        Assert.Equal(1, outcomes[0].Result!.Value.StreamVersion);
        var duplicate = Assert.IsType<DuplicateEventIdException>(outcomes[1].Error);
        Assert.Equal((shared.EventId, "s-two", "s-one", (long?)1), (duplicate.EventId, duplicate.StreamId, duplicate.ExistingStreamId, duplicate.ExistingVersion));
        Assert.Equal(2, outcomes[2].Result!.Value.StreamVersion);
        AssertOneTransaction([outcomes[0], outcomes[2]]);
        Assert.Equal(0, await store.ReadStreamAsync("s-two", cancellationToken: Ct).CountAsync(Ct));
    }

    [Fact]
    public async Task Batches_of_two_nodes_racing_for_the_same_new_streams_give_each_stream_one_winner()
    {
        await using var first = await _stores.CreateStoreAsync(purpose: "batch_race", urlQuery: OneLane);
        var url = PgTestServer.WithSchema(await PgTestServer.UrlAsync(), first.Schema);
        await using var second = await PostgreSqlEventStore.OpenStoreAsync(url + "&" + OneLane, EventStoreOptions.Default, Ct);
        var contested = Enumerable.Range(0, 12).Select(i => $"c-{i:D2}").ToArray();

        await using var raw = await PgTestServer.RawAsync();
        await using var conn = await raw.OpenConnectionAsync(Ct);
        var (leads, rests) = (new List<Task>(), new List<Task<Outcome>[]>());
        await using (var tx = await conn.BeginTransactionAsync(Ct))
        {
            await LockMetaAsync(conn, tx, first.Schema);
            foreach (var (node, name) in new[] { (first, "one"), (second, "two") })
            {
                leads.Add(node.AppendAsync("0-lead-" + name, ExpectedVersion.NoStream, TestEvents.Many(1), Ct).AsTask());
                rests.Add([.. contested.Select(s => Capture(node.AppendAsync(s, ExpectedVersion.NoStream, [TestEvents.Json(name)], Ct)))
                    .Append(Capture(node.AppendAsync("own-" + name, ExpectedVersion.NoStream, TestEvents.Many(2), Ct)))]);
            }

            await tx.CommitAsync(Ct);
        }

        await Task.WhenAll(leads);
        var one = await Task.WhenAll(rests[0]);
        var two = await Task.WhenAll(rests[1]);
        Assert.Equal(2, one[^1].Result!.Value.StreamVersion);
        Assert.Equal(2, two[^1].Result!.Value.StreamVersion);
        for (var i = 0; i < contested.Length; i++)
        {
            var (a, b) = (one[i], two[i]);
            Assert.True(a.Error is null ^ b.Error is null, $"{contested[i]}: exactly one node wins");
            var loser = Assert.IsType<ConcurrencyException>(a.Error ?? b.Error);
            Assert.Equal(1, loser.ActualVersion);
            var stored = await first.ReadStreamAsync(contested[i], cancellationToken: Ct).SingleAsync(Ct);
            Assert.Equal(a.Error is null ? "one" : "two", stored.EventType);
        }
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(0, false)]
    public async Task A_batch_that_looked_up_a_stream_before_its_delete_committed_decides_again_after_it(int newState, bool refused)
    {
        await using var store = await _stores.CreateStoreAsync(purpose: "batch_delrace", urlQuery: OneLane);
        await store.AppendAsync("s", ExpectedVersion.NoStream, TestEvents.Many(3), Ct);
        var q = $"\"{store.Schema}\"";

        await using var raw = await PgTestServer.RawAsync();
        await using var metaConn = await raw.OpenConnectionAsync(Ct);
        await using var deleteConn = await raw.OpenConnectionAsync(Ct);
        await using var metaTx = await metaConn.BeginTransactionAsync(Ct);
        await LockMetaAsync(metaConn, metaTx, store.Schema);
        // The lead is refused before it inserts, so it never waits on the delete's lock below.
        var lead = Capture(store.AppendAsync("0-lead", ExpectedVersion.Exact(5), TestEvents.Many(1), Ct));
        var batch = new[]
        {
            Capture(store.AppendAsync("s", ExpectedVersion.Any, [TestEvents.Json("late")], Ct)),
            Capture(store.AppendAsync("t-other", ExpectedVersion.NoStream, [TestEvents.Json("other")], Ct)),
        };

        // What a delete does, held open: lock out inserts, change the row, remove the events.
        await using var deleteTx = await deleteConn.BeginTransactionAsync(Ct);
        await ExecAsync(deleteConn, deleteTx, $"LOCK TABLE {q}.events IN SHARE MODE");
        await ExecAsync(deleteConn, deleteTx, $"UPDATE {q}.streams SET state = {newState}, truncated_before = 1, epoch = epoch + 1 WHERE name = 's'");
        await ExecAsync(deleteConn, deleteTx, $"DELETE FROM {q}.events WHERE stream_id = (SELECT id FROM {q}.streams WHERE name = 's')");
        await metaTx.CommitAsync(Ct);
        Assert.IsType<ConcurrencyException>((await lead).Error);

        // The batch looked the streams up (old row: live, version 3) and now waits to insert.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await InsertWaitsOnEventsAsync(deleteConn, deleteTx, store.Schema))
        {
            Assert.True(DateTime.UtcNow < deadline, "the batch never reached its insert");
            await Task.Delay(10, Ct);
        }

        await deleteTx.CommitAsync(Ct);
        var outcomes = await Task.WhenAll(batch);
        if (refused)
        {
            Assert.True(Assert.IsType<StreamDeletedException>(outcomes[0].Error).IsTombstoned);
            Assert.Null(await store.GetStreamVersionAsync("s", Ct));
        }
        else
        {
            Assert.Equal(1, outcomes[0].Result!.Value.StreamVersion);
        }

        Assert.Equal(1, outcomes[1].Result!.Value.StreamVersion);
        var log = await store.ReadAllAsync(cancellationToken: Ct).Select(e => e.EventType).ToListAsync(Ct);
        Assert.Equal(refused ? ["other"] : ["late", "other"], log);
    }

    /// <summary>Whether another session waits for a lock on the store's events table.</summary>
    private static async Task<bool> InsertWaitsOnEventsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string schema)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = to_regclass($1) AND NOT granted AND pid <> pg_backend_pid())", conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = $"\"{schema}\".events" });
        return (bool)(await cmd.ExecuteScalarAsync(Ct))!;
    }

    private static async Task ExecAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(Ct);
    }

    /// <summary>Runs a lead append that waits on the locked meta table, queues <paramref name="appends"/> behind it, then releases.</summary>
    private static async Task<Outcome[]> InOneBatchAsync(PostgreSqlEventStore store, params Func<ValueTask<AppendResult>>[] appends)
    {
        await using var raw = await PgTestServer.RawAsync();
        await using var conn = await raw.OpenConnectionAsync(Ct);
        Task lead;
        Task<Outcome>[] rest;
        await using (var tx = await conn.BeginTransactionAsync(Ct))
        {
            await LockMetaAsync(conn, tx, store.Schema);
            // The lead takes its batch (itself) before its first await; the others are queued synchronously.
            lead = store.AppendAsync("0-lead", ExpectedVersion.NoStream, TestEvents.Many(1), Ct).AsTask();
            rest = [.. appends.Select(a => Capture(a()))];
            await tx.CommitAsync(Ct);
        }

        await lead;
        return await Task.WhenAll(rest);
    }

    private static async Task LockMetaAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string schema)
    {
        await using var cmd = new NpgsqlCommand($"LOCK TABLE \"{schema}\".meta IN ACCESS EXCLUSIVE MODE", conn, tx);
        await cmd.ExecuteNonQueryAsync(Ct);
    }

    private static void AssertOneTransaction(IEnumerable<Outcome> committed)
        => Assert.Single(committed.Select(o => o.Result!.Value.LastPosition >> 20).Distinct());

    private static async Task<Outcome> Capture(ValueTask<AppendResult> append)
    {
        try
        {
            return new Outcome(await append, null);
        }
        catch (EventualiException ex)
        {
            return new Outcome(null, ex);
        }
        catch (ArgumentException ex)
        {
            return new Outcome(null, ex);
        }
    }

    private readonly record struct Outcome(AppendResult? Result, Exception? Error);
}
