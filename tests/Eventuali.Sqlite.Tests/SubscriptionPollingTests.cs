using Eventuali.Subscriptions;

namespace Eventuali.Sqlite.Tests;

/// <summary>Appends the in-process signal cannot see (another store instance, another process) reach live subscribers by polling.</summary>
public sealed class SubscriptionPollingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<RecordedEvent>> TakeAsync(IEventStore store, int count, TimeSpan patience)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(patience);
        var got = new List<RecordedEvent>();
        await foreach (var e in store.SubscribeToAllAsync(0, null, cts.Token))
        {
            got.Add(e);
            if (got.Count == count)
            {
                break;
            }
        }

        return got;
    }

    [Fact]
    public async Task A_second_store_instance_on_the_same_file_is_seen_live()
    {
        await using var temp = new TempSqliteStore();
        var reading = await temp.OpenAsync();
        var writing = await temp.OpenAsync();
        await writing.AppendAsync("first", ExpectedVersion.NoStream, [EventData.Json("t", "{}")], Ct);
        var task = TakeAsync(reading, 21, TimeSpan.FromSeconds(30));
        var written = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            var e = EventData.Json("t", "{}");
            await writing.AppendAsync("second", ExpectedVersion.Any, [e], Ct);
            written.Add(e.EventId);
        }

        var got = await task;
        Assert.Equal(written, got.Skip(1).Select(e => e.EventId));
        Assert.Equal(got.Count, got.Select(e => e.Position).Distinct().Count());
    }

    [Fact]
    public async Task Another_process_appending_to_the_file_is_seen_live_without_loss()
    {
        await using var temp = new TempSqliteStore();
        var reading = await temp.OpenAsync();
        const int Rounds = 100; // the worker appends 3 events per round
        var subscriber = TakeAsync(reading, Rounds * 3, TimeSpan.FromSeconds(60));
        using var worker = AppendWorker.Start(temp.FilePath, "w", Rounds);
        var stdout = worker.StandardOutput.ReadToEndAsync(Ct);
        await worker.WaitForExitAsync(Ct);
        Assert.Equal(0, worker.ExitCode);
        var acknowledged = (await stdout).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length == 36).Select(Guid.Parse).ToList();
        var got = await subscriber;
        Assert.Equal(acknowledged, got.Select(e => e.EventId));
        Assert.True(got.Zip(got.Skip(1)).All(p => p.First.Position < p.Second.Position));
    }
}
