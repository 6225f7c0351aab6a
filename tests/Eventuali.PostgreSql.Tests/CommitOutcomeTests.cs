using System.Diagnostics;

namespace Eventuali.PostgreSql.Tests;

/// <summary>
/// A connection that breaks while an append is in flight: the server may have stored it, so the caller is told the
/// outcome is unknown and that a retry with the same event ids is safe, and such a retry stores the events once.
/// </summary>
public sealed class CommitOutcomeTests : IAsyncLifetime
{
    private readonly PostgreSqlStoreFixture _stores = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _stores.DisposeAsync();

    [Fact]
    public async Task Backend_terminated_during_an_append_reports_an_unknown_outcome_and_a_retry_is_safe()
    {
        var url = await _stores.OpenUrlAsync("outcome");
        var schema = url[(url.LastIndexOf('=') + 1)..];
        var store = await PostgreSqlEventStore.OpenAsync(url, EventStoreOptions.Default, Ct);
        await using (store)
        {
            await store.AppendAsync("warm-up", ExpectedVersion.NoStream, [TestEvents.Json("first")], Ct);

            // A trigger on this test's own schema holds the append inside the server until the backend is terminated.
            await using var raw = await PgTestServer.RawAsync();
            await using (var trigger = raw.CreateCommand($"""
                CREATE FUNCTION "{schema}".hold() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(120); RETURN NEW; END $$;
                CREATE TRIGGER hold BEFORE INSERT ON "{schema}".events FOR EACH ROW EXECUTE FUNCTION "{schema}".hold();
                """))
            {
                await trigger.ExecuteNonQueryAsync(Ct);
            }

            var events = new[] { TestEvents.Json("a"), TestEvents.Json("b") };
            var append = store.AppendAsync("held", ExpectedVersion.NoStream, events, Ct).AsTask();

            var held = Stopwatch.StartNew();
            long terminated = 0;
            while (terminated == 0)
            {
                Assert.True(held.Elapsed < TimeSpan.FromSeconds(60), "the append never reached the trigger");
                Assert.False(append.IsCompleted, "the append finished although the trigger holds it");
                await using var kill = raw.CreateCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND pid <> pg_backend_pid() AND query LIKE $1");
                kill.Parameters.AddWithValue($"%\"{schema}\".append%");
                terminated = Convert.ToInt64(await kill.ExecuteScalarAsync(Ct));
                if (terminated == 0)
                {
                    await Task.Delay(50, Ct);
                }
            }

            var ex = await Assert.ThrowsAsync<AppendOutcomeUnknownException>(() => append);
            Assert.IsAssignableFrom<EventStoreUnavailableException>(ex);
            Assert.Contains("broke while committing an append to stream 'held'", ex.Message, StringComparison.Ordinal);
            Assert.Contains("may or may not be stored", ex.Message, StringComparison.Ordinal);
            Assert.Contains("Retrying with the same event ids is safe", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("Cannot reach", ex.Message, StringComparison.Ordinal);

            await using (var drop = raw.CreateCommand($"DROP TRIGGER hold ON \"{schema}\".events"))
            {
                await drop.ExecuteNonQueryAsync(Ct);
            }

            // The retry the message advises: the same ids, stored exactly once.
            var retried = await store.AppendAsync("held", ExpectedVersion.NoStream, events, Ct);
            Assert.Equal(2, retried.StreamVersion);
            var again = await store.AppendAsync("held", ExpectedVersion.NoStream, events, Ct);
            Assert.Equal(retried, again);
            Assert.Equal(events.Select(e => e.EventId), (await store.ReadStreamAsync("held", cancellationToken: Ct).ToListAsync(Ct)).Select(e => e.EventId));
        }
    }
}
