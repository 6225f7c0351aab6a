using Eventuali.Projections;

namespace Eventuali.PostgreSql.Tests;

/// <summary>PostgreSQL specifics of projections: the handed-out connection and transaction.</summary>
public sealed class PgProjectionBackendTests : IAsyncDisposable
{
    private readonly PostgreSqlStoreFixture _schemas = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class OwnTable : Projection
    {
        public OwnTable(string schema)
            : base("own-table")
        {
            FailurePolicy = new ProjectionFailurePolicy { MaxAttempts = 2, InitialBackoff = TimeSpan.FromMilliseconds(1) };
            On("deposited", async (e, ctx, ct) =>
            {
                var pg = ctx.GetPostgreSql();
                await using var insert = pg.CreateCommand($"INSERT INTO \"{schema}\".seen (position) VALUES ($1)");
                insert.Parameters.Add(new Npgsql.NpgsqlParameter<long> { TypedValue = e.Position });
                await insert.ExecuteNonQueryAsync(ct);
                if (System.Text.Encoding.UTF8.GetString(e.Data.Span).Contains("poison", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException("poison");
                }
            });
        }
    }

    [Fact]
    public async Task Own_table_writes_commit_with_the_batch_and_roll_back_with_a_failed_event()
    {
        var store = await _schemas.CreateStoreAsync(purpose: "own");
        await using (store)
        {
            await using (var ds = await PgTestServer.RawAsync())
            await using (var create = ds.CreateCommand($"CREATE TABLE \"{store.Schema}\".seen (position bigint NOT NULL)"))
            {
                await create.ExecuteNonQueryAsync(Ct);
            }

            long poison = 0;
            for (var i = 0; i < 10; i++)
            {
                var r = await store.AppendAsync("acct-1", ExpectedVersion.Any, [EventData.Json("deposited", i == 4 ? """{"poison":true}""" : "{}")], Ct);
                poison = i == 4 ? r.LastPosition : poison;
            }

            await using var daemon = new ProjectionDaemon(store, [new OwnTable(store.Schema)], new ProjectionDaemonOptions { PollInterval = TimeSpan.FromMilliseconds(20) });
            await daemon.StartAsync(Ct);
            var status = await daemon.WaitForCatchUpAsync("own-table", Ct);
            Assert.Equal(1, status.DeadLetters);

            await using var check = await PgTestServer.RawAsync();
            await using var rows = check.CreateCommand($"SELECT count(*), count(DISTINCT position), count(*) FILTER (WHERE position = {poison}) FROM \"{store.Schema}\".seen");
            await using var reader = await rows.ExecuteReaderAsync(Ct);
            await reader.ReadAsync(Ct);
            Assert.Equal(9, reader.GetInt64(0));
            Assert.Equal(9, reader.GetInt64(1));
            Assert.Equal(0, reader.GetInt64(2));
        }
    }

    public ValueTask DisposeAsync() => _schemas.DisposeAsync();
}
