using System.Diagnostics;
using Eventuali.Projections;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite.Tests;

/// <summary>The lease table on SQLite: an expired lease is taken with a higher epoch, the old holder learns it lost it, and its commit is refused.</summary>
public sealed class SqliteLeaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_expired_lease_is_taken_over_and_the_old_holders_commit_is_refused_by_the_epoch_check()
    {
        await using var temp = new TempSqliteStore();
        await using var a = await SqliteEventStore.OpenAsync(temp.FilePath, EventStoreOptions.Default, Ct);
        await using var b = await SqliteEventStore.OpenAsync(temp.FilePath, EventStoreOptions.Default, Ct);
        var lease = new LeaseOptions { Duration = TimeSpan.FromSeconds(1) };
        var old = await a.GetProjectionStore().TryAcquireProjectionAsync("shared", "a", lease, Ct);
        Assert.NotNull(old);
        Assert.Equal(1, old.Epoch);
        Assert.Null(await b.GetProjectionStore().TryAcquireProjectionAsync("shared", "b", lease, Ct));

        // As if a had been paused past its lease: the row says expired, so b takes it with the next epoch.
        Execute(temp.FilePath, "UPDATE leases SET expires_at = 0 WHERE name = 'shared'");
        var taken = await b.GetProjectionStore().TryAcquireProjectionAsync("shared", "b", lease, Ct);
        Assert.NotNull(taken);
        Assert.Equal(2, taken.Epoch);

        // a's late batch: its writes and position are refused together.
        await using (var tx = await old.BeginAsync(Ct))
        {
            await tx.Documents.PutAsync("k", """{"late":true}""", Ct);
            var refused = await Assert.ThrowsAsync<LeaseLostException>(async () => await tx.SaveProgressAsync(new ProjectionProgress(5, ProjectionState.Running, null, null), Ct));
            Assert.True(refused.CommitRefused);
            Assert.Contains("epoch 2", refused.Message, StringComparison.Ordinal);
        }

        Assert.Null(await a.GetProjectionStore().GetProjectionDocumentAsync("shared", "k", Ct));
        Assert.Equal(0, (await taken.LoadAsync(Ct)).Position);

        // a's next renewal finds the other epoch and reports the loss.
        var clock = Stopwatch.StartNew();
        while (!old.Lost.IsCancellationRequested)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the old holder did not notice it lost the lease");
            await Task.Delay(20, Ct);
        }

        // The new holder commits; releasing the old lease does not free the new one.
        await old.DisposeAsync();
        await using (var tx = await taken.BeginAsync(Ct))
        {
            await tx.SaveProgressAsync(new ProjectionProgress(0, ProjectionState.Running, null, null), Ct);
            await tx.CommitAsync(Ct);
        }

        Assert.Null(await a.GetProjectionStore().TryAcquireProjectionAsync("shared", "a", lease, Ct));
        await taken.DisposeAsync();
    }

    [Fact]
    public async Task A_lease_of_under_a_second_is_refused()
    {
        await using var temp = new TempSqliteStore();
        await using var store = await SqliteEventStore.OpenAsync(temp.FilePath, EventStoreOptions.Default, Ct);
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
            await store.GetProjectionStore().TryAcquireProjectionAsync("x", "a", new LeaseOptions { Duration = TimeSpan.FromMilliseconds(10) }, Ct));
        Assert.Contains("at least one second", error.Message, StringComparison.Ordinal);
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
