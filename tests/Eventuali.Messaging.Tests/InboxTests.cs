namespace Eventuali.Messaging.Tests;

/// <summary>The inbox on its own: duplicates are no-ops, a failed handler records nothing, one holder at a time.</summary>
public sealed class InboxTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_message_id_is_handled_once_and_a_failed_handler_records_nothing()
    {
        await using var temp = await TempStore.OpenAsync();
        await using var inbox = (await MessageInbox.TryOpenAsync(temp.Store, "billing", "node-1", Ct))!;
        var runs = 0;
        ValueTask Handler(Projections.IProjectionTransaction tx, CancellationToken ct)
        {
            runs++;
            return tx.Documents.PutAsync("doc", "{\"runs\":" + runs + "}", ct);
        }

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await inbox.HandleAsync("m-1", (_, _) => throw new InvalidOperationException("handler failed"), Ct));
        Assert.Equal(0, await inbox.CountAsync(Ct));
        Assert.True(await inbox.HandleAsync("m-1", Handler, Ct));
        Assert.False(await inbox.HandleAsync("m-1", Handler, Ct));
        Assert.True(await inbox.HandleAsync("m-2", Handler, Ct));
        Assert.Equal(2, runs);
        Assert.Equal(2, await inbox.CountAsync(Ct));
        Assert.Null(await MessageInbox.TryOpenAsync(temp.Store, "billing", "node-2", Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await inbox.HandleAsync(new string('x', 201), Handler, Ct));
    }

    [Fact]
    public async Task Expiry_deletes_ids_older_than_the_retention_after_which_a_duplicate_is_handled_again()
    {
        var dir = Directory.CreateTempSubdirectory("eventuali-inbox-expiry-").FullName;
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        try
        {
            await using var store = await Sqlite.SqliteEventStore.OpenAsync(Path.Combine(dir, "events.db"), new EventStoreOptions { TimeProvider = clock }, Ct);
            await using var inbox = (await MessageInbox.TryOpenAsync(store, "billing", "node-1", Ct))!;
            var runs = 0;
            ValueTask Handler(Projections.IProjectionTransaction tx, CancellationToken ct)
            {
                runs++;
                return ValueTask.CompletedTask;
            }

            Assert.True(await inbox.HandleAsync("old", Handler, Ct));
            clock.Advance(TimeSpan.FromHours(2));
            Assert.True(await inbox.HandleAsync("recent", Handler, Ct));
            clock.Advance(TimeSpan.FromMinutes(30));

            // Retention one hour: "old" (2.5 h) goes, "recent" (30 min) stays and still deduplicates.
            Assert.Equal(1, await inbox.ExpireAsync(TimeSpan.FromHours(1), Ct));
            Assert.Equal(1, await inbox.CountAsync(Ct));
            Assert.False(await inbox.HandleAsync("recent", Handler, Ct));
            Assert.True(await inbox.HandleAsync("old", Handler, Ct)); // past the dedup window: handled again
            Assert.Equal(3, runs);
            Assert.Equal(0, await inbox.ExpireAsync(TimeSpan.FromHours(1), Ct));
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await inbox.ExpireAsync(TimeSpan.Zero, Ct));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Non_guid_message_ids_map_to_one_stable_event_id()
    {
        var id = MessageImport.EventIdOf("kafka:orders:3:1200");
        Assert.Equal(id, MessageImport.EventIdOf("kafka:orders:3:1200"));
        Assert.NotEqual(id, MessageImport.EventIdOf("kafka:orders:3:1201"));
        var guid = Guid.NewGuid();
        Assert.Equal(guid, MessageImport.EventIdOf(guid.ToString("D")));
    }
}
