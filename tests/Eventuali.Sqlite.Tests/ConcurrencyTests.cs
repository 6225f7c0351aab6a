using Microsoft.Data.Sqlite;
using static Eventuali.Sqlite.Tests.TestEvents;

namespace Eventuali.Sqlite.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Racing_tasks_on_one_stream_win_each_version_exactly_once()
    {
        await using var temp = new TempSqliteStore();
        var store = await temp.OpenAsync();
        const int tasks = 40;
        const int versions = 15;
        var winners = new int[versions];
        for (var v = 0; v < versions; v++)
        {
            var version = v;
            var attempts = Enumerable.Range(0, tasks).Select(t => Task.Run(async () =>
            {
                try
                {
                    await store.AppendAsync("race-1", ExpectedVersion.Exact(version), [Deposit(t)], Ct);
                    Interlocked.Increment(ref winners[version]);
                }
                catch (ConcurrencyException ex)
                {
                    Assert.Equal(version + 1, ex.ActualVersion);
                }
            }, Ct));
            await Task.WhenAll(attempts);
        }

        Assert.All(winners, w => Assert.Equal(1, w));
        var events = await store.ReadStreamAsync("race-1", cancellationToken: Ct).ToListAsync();
        Assert.Equal(Enumerable.Range(1, versions).Select(i => (long)i), events.Select(e => e.StreamVersion));
    }

    [Fact]
    public async Task A_failing_append_in_a_group_commit_batch_does_not_fail_the_others()
    {
        await using var temp = new TempSqliteStore();
        var store = (SqliteEventStore)await temp.OpenAsync();
        var taken = Deposit(0);
        await store.AppendAsync("existing", ExpectedVersion.NoStream, [taken], Ct);
        var commitsBefore = store.CommitCount;

        // Another connection holds the write lock: the first append waits inside the writer, the rest queue up behind it.
        Task<AppendResult> first;
        var rest = new List<Task<AppendResult>>();
        await using (var blocker = new SqliteConnection($"Data Source={temp.FilePath};Pooling=false"))
        {
            await blocker.OpenAsync(Ct);
            await using var tx = (SqliteTransaction)await blocker.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, Ct);
            await using (var write = blocker.CreateCommand())
            {
                write.Transaction = tx;
                write.CommandText = "INSERT INTO eventuali_meta (key, value) VALUES ('probe', 'x')";
                await write.ExecuteNonQueryAsync(Ct);
            }

            first = store.AppendAsync("first", ExpectedVersion.NoStream, [Deposit(1)], Ct).AsTask();
            await Task.Delay(200, Ct);
            for (var i = 0; i < 10; i++)
            {
                rest.Add(store.AppendAsync($"good-{i}", ExpectedVersion.NoStream, Deposits(3, i * 3), Ct).AsTask());
            }

            rest.Add(store.AppendAsync("existing", ExpectedVersion.NoStream, [Deposit(99)], Ct).AsTask());
            rest.Add(store.AppendAsync("dup", ExpectedVersion.NoStream, [Deposit(98), taken], Ct).AsTask());
            rest.Add(store.AppendAsync("good-last", ExpectedVersion.Any, Deposits(2), Ct).AsTask());
            await Task.Delay(100, Ct);
            Assert.False(first.IsCompleted);
            await tx.RollbackAsync(Ct);
        }

        await first;
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(3, (await rest[i]).StreamVersion);
        }

        var conflict = await Assert.ThrowsAsync<ConcurrencyException>(() => rest[10]);
        Assert.Equal(1, conflict.ActualVersion);
        var duplicate = await Assert.ThrowsAsync<DuplicateEventIdException>(() => rest[11]);
        Assert.Equal("existing", duplicate.ExistingStreamId);
        Assert.Equal(2, (await rest[12]).StreamVersion);
        Assert.Equal(commitsBefore + 2, store.CommitCount);
        Assert.Null(await store.GetStreamVersionAsync("dup", Ct));
        Assert.Equal(1, await store.GetStreamVersionAsync("existing", Ct));
        Assert.Equal(1 + 1 + 30 + 2, (await store.ReadAllAsync(cancellationToken: Ct).ToListAsync()).Count);
    }

    [Fact]
    public async Task Cancelled_appends_waiting_for_another_writers_lock_are_never_written()
    {
        await using var temp = new TempSqliteStore();
        var store = await temp.OpenAsync();
        await using var blocker = new SqliteConnection($"Data Source={temp.FilePath};Pooling=false");
        await blocker.OpenAsync(Ct);
        var tx = (SqliteTransaction)await blocker.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, Ct);
        await using (var write = blocker.CreateCommand())
        {
            write.Transaction = tx;
            write.CommandText = "INSERT INTO eventuali_meta (key, value) VALUES ('probe', 'x')";
            await write.ExecuteNonQueryAsync(Ct);
        }

        // 'waiting' is taken by the writer, which retries BEGIN IMMEDIATE past SQLite's busy timeout;
        // 'queued' sits behind it; 'survivor' must still be written once the lock is released.
        using var waitingCts = new CancellationTokenSource();
        using var queuedCts = new CancellationTokenSource();
        var waiting = store.AppendAsync("waiting", ExpectedVersion.Any, [Deposit(1)], waitingCts.Token).AsTask();
        var queued = store.AppendAsync("queued", ExpectedVersion.Any, [Deposit(2)], queuedCts.Token).AsTask();
        await Task.Delay(100, Ct);
        await queuedCts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        await Task.Delay(1300, Ct);
        Assert.False(waiting.IsCompleted);
        await waitingCts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        var survivor = store.AppendAsync("survivor", ExpectedVersion.Any, [Deposit(3)], Ct).AsTask();
        await Task.Delay(1200, Ct);
        Assert.False(survivor.IsCompleted);
        await tx.RollbackAsync(Ct);
        await tx.DisposeAsync();
        Assert.Equal(1, (await survivor).StreamVersion);
        Assert.Null(await store.GetStreamVersionAsync("waiting", Ct));
        Assert.Null(await store.GetStreamVersionAsync("queued", Ct));
    }

    [Fact]
    public async Task Idempotent_retry_returns_the_original_result_and_other_reuse_is_refused()
    {
        await using var temp = new TempSqliteStore();
        var store = await temp.OpenAsync();
        await store.AppendAsync("s-1", ExpectedVersion.NoStream, Deposits(2), Ct);
        var batch = Deposits(3, 10);
        var original = await store.AppendAsync("s-1", ExpectedVersion.Exact(2), batch, Ct);
        await store.AppendAsync("s-1", ExpectedVersion.Exact(5), Deposits(1, 20), Ct);

        Assert.Equal(original, await store.AppendAsync("s-1", ExpectedVersion.Exact(2), batch, Ct));
        Assert.Equal(original, await store.AppendAsync("s-1", ExpectedVersion.Any, batch, Ct));
        Assert.Equal(new AppendResult(5, 5), original);
        await Assert.ThrowsAsync<DuplicateEventIdException>(async () => await store.AppendAsync("s-2", ExpectedVersion.Any, batch, Ct));
        await Assert.ThrowsAsync<DuplicateEventIdException>(async () => await store.AppendAsync("s-1", ExpectedVersion.Exact(3), batch, Ct));
        await Assert.ThrowsAsync<DuplicateEventIdException>(async () => await store.AppendAsync("s-1", ExpectedVersion.Any, [batch[0], batch[2]], Ct));
        await Assert.ThrowsAsync<DuplicateEventIdException>(async () => await store.AppendAsync("s-1", ExpectedVersion.Any, [Deposit(50), batch[1]], Ct));
        var conflict = await Assert.ThrowsAsync<ConcurrencyException>(async () => await store.AppendAsync("s-1", ExpectedVersion.Exact(2), Deposits(1), Ct));
        Assert.Equal(6, conflict.ActualVersion);
        var none = await Assert.ThrowsAsync<ConcurrencyException>(async () => await store.AppendAsync("nope", ExpectedVersion.StreamExists, Deposits(1), Ct));
        Assert.Null(none.ActualVersion);
        Assert.Equal(6, await store.GetHeadPositionAsync(Ct));
    }

    [Fact]
    public async Task Two_store_instances_on_one_file_append_without_lock_errors()
    {
        await using var temp = new TempSqliteStore();
        var a = await temp.OpenAsync();
        var b = await temp.OpenAsync();
        var writes = Enumerable.Range(0, 200).Select(i => (i % 2 == 0 ? a : b).AppendAsync("shared", ExpectedVersion.Any, [Deposit(i)], Ct).AsTask());
        await Task.WhenAll(writes);
        var events = await a.ReadStreamAsync("shared", cancellationToken: Ct).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), events.Select(e => e.StreamVersion));
        Assert.Equal(events.Select(e => e.Position).Order(), events.Select(e => e.Position));
    }

    [Fact]
    public async Task WaitForAppend_completes_after_a_commit_above_the_position()
    {
        await using var temp = new TempSqliteStore();
        var store = (SqliteEventStore)await temp.OpenAsync();
        var wait = store.WaitForAppendAsync(0, Ct);
        Assert.False(wait.IsCompleted);
        await store.AppendAsync("s", ExpectedVersion.Any, [Deposit(1)], Ct);
        await wait.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        Assert.True(store.WaitForAppendAsync(0, Ct).IsCompleted);
        Assert.False(store.WaitForAppendAsync(1, Ct).IsCompleted);
    }

    [Fact]
    public async Task Dispose_writes_queued_appends_then_refuses_new_ones()
    {
        await using var temp = new TempSqliteStore();
        var store = await SqliteEventStore.OpenAsync(temp.FilePath, EventStoreOptions.Default, Ct);
        var pending = Enumerable.Range(0, 50).Select(i => store.AppendAsync($"s-{i}", ExpectedVersion.NoStream, [Deposit(i)], Ct).AsTask()).ToList();
        await store.DisposeAsync();
        await Task.WhenAll(pending);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.AppendAsync("late", ExpectedVersion.Any, [Deposit(1)], Ct));
        var reopened = await temp.OpenAsync();
        Assert.Equal(50, await reopened.GetHeadPositionAsync(Ct));
    }
}
