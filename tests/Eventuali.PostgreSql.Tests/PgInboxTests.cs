using Eventuali.Projections;

namespace Eventuali.PostgreSql.Tests;

/// <summary>The PostgreSQL inbox: a message id recorded in the lease's transaction, once, and rolled back with it.</summary>
public sealed class PgInboxTests : IAsyncDisposable
{
    private readonly PostgreSqlStoreFixture _schemas = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_message_id_is_recorded_once_and_only_when_its_transaction_commits()
    {
        var store = await _schemas.CreateStoreAsync(purpose: "inbox");
        await using (store)
        {
            var inbox = store;
            await using var lease = (await store.TryAcquireProjectionAsync("shipping", "node-1", Ct))!;

            await using (var rolledBack = await lease.BeginAsync(Ct))
            {
                Assert.True(await inbox.TryRecordMessageAsync(rolledBack, "shipping", "m-1", Ct));
                await rolledBack.Documents.PutAsync("doc", "{\"n\":1}", Ct);
            }

            Assert.Equal(0, await inbox.CountMessagesAsync("shipping", Ct));
            Assert.Null(await store.GetProjectionDocumentAsync("shipping", "doc", Ct));

            await using (var first = await lease.BeginAsync(Ct))
            {
                Assert.True(await inbox.TryRecordMessageAsync(first, "shipping", "m-1", Ct));
                await first.Documents.PutAsync("doc", "{\"n\":1}", Ct);
                await first.CommitAsync(Ct);
            }

            await using (var again = await lease.BeginAsync(Ct))
            {
                Assert.False(await inbox.TryRecordMessageAsync(again, "shipping", "m-1", Ct));
                Assert.True(await inbox.TryRecordMessageAsync(again, "shipping", "m-2", Ct));
                await again.CommitAsync(Ct);
            }

            Assert.Equal(2, await inbox.CountMessagesAsync("shipping", Ct));
            Assert.Equal(0, await inbox.CountMessagesAsync("billing", Ct));

            // Expiry: nothing was handled an hour ago; everything was handled before a minute from now.
            await using (var expire = await lease.BeginAsync(Ct))
            {
                Assert.Equal(0, await inbox.ExpireMessagesAsync(expire, "shipping", DateTimeOffset.UtcNow.AddHours(-1), Ct));
                Assert.Equal(2, await inbox.ExpireMessagesAsync(expire, "shipping", DateTimeOffset.UtcNow.AddMinutes(1), Ct));
                await expire.CommitAsync(Ct);
            }

            Assert.Equal(0, await inbox.CountMessagesAsync("shipping", Ct));
            await Assert.ThrowsAnyAsync<ArgumentException>(async () => await inbox.TryRecordMessageAsync(null!, "shipping", "", Ct));
        }
    }

    public ValueTask DisposeAsync() => _schemas.DisposeAsync();
}
