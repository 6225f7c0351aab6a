using Microsoft.Data.Sqlite;
using static Eventuali.Sqlite.Tests.TestEvents;

namespace Eventuali.Sqlite.Tests;

public sealed class NeverSkipTests
{
    [Fact]
    public async Task A_tailing_reader_gets_a_held_transaction_event_in_order_exactly_once()
    {
        await using var temp = new TempSqliteStore();
        var store = await temp.OpenAsync();
        await store.AppendAsync("before", ExpectedVersion.NoStream, Deposits(3), Ct);

        // Another connection takes a position and holds its transaction open.
        await using var holder = new SqliteConnection($"Data Source={temp.FilePath};Pooling=false");
        await holder.OpenAsync(Ct);
        var tx = (SqliteTransaction)await holder.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, Ct);
        await using (var insert = holder.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = """
                INSERT INTO streams (name) VALUES ('held');
                INSERT INTO events (stream_id, version, event_id, event_type, content_type, data, timestamp)
                VALUES (last_insert_rowid(), 1, randomblob(16), 'Held', NULL, '{}', 0);
                """;
            await insert.ExecuteNonQueryAsync(Ct);
        }

        // Other writers try to commit meanwhile; a reader tails the log from its checkpoint.
        var others = Enumerable.Range(0, 10).Select(i => store.AppendAsync($"other-{i}", ExpectedVersion.NoStream, [Deposit(i)], Ct).AsTask()).ToList();
        var seen = new List<RecordedEvent>();
        long checkpoint = 0;
        var committed = false;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (seen.Count < 3 + 1 + 10 && DateTime.UtcNow < deadline)
        {
            await foreach (var e in store.ReadAllAsync(checkpoint + 1, cancellationToken: Ct))
            {
                seen.Add(e);
                checkpoint = e.Position;
            }

            if (!committed && seen.Count == 3)
            {
                await Task.Delay(150, Ct);
                Assert.Equal(3, await store.GetHeadPositionAsync(Ct));
                await tx.CommitAsync(Ct);
                await tx.DisposeAsync();
                committed = true;
            }

            await Task.Delay(10, Ct);
        }

        await Task.WhenAll(others);
        Assert.Equal(14, seen.Count);
        Assert.Equal(seen.Select(e => e.Position).Order(), seen.Select(e => e.Position));
        Assert.Equal(14, seen.Select(e => e.EventId).Distinct().Count());
        Assert.Equal("held", seen[3].StreamId);
        Assert.All(seen.Skip(4), e => Assert.StartsWith("other-", e.StreamId, StringComparison.Ordinal));
    }
}
