using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Eventuali.Subscriptions;

namespace Eventuali.PostgreSql.Tests;

/// <summary>Runs alone: it kills the Patroni cluster's primary, and it is heavy on a small machine.</summary>
[CollectionDefinition(nameof(PatroniCollection), DisableParallelization = true)]
public sealed class PatroniCollection;

/// <summary>
/// The Patroni cluster of scripts/patroni.sh (env EVENTUALI_TEST_PATRONI: both nodes in one URL, <c>target=primary</c>):
/// 32 writers append while the primary's postmaster is SIGKILLed and Patroni promotes the synchronous standby. Every
/// acknowledged event is stored once, every refused one never; the global log does not skip across the promotion; a
/// subscription resumes from its checkpoint on the new primary.
/// </summary>
[Collection(nameof(PatroniCollection))]
public sealed class PatroniFailoverTests
{
    public const string DefaultUrl = "postgresql://eventuali:eventuali@127.0.0.1:55440,127.0.0.1:55441/eventuali?target=primary";

    private const int Writers = 32;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static string Url => Environment.GetEnvironmentVariable("EVENTUALI_TEST_PATRONI") is { Length: > 0 } url ? url : DefaultUrl;

    [Fact]
    public async Task Killing_the_primary_under_32_writers_loses_no_acknowledged_event_and_the_log_does_not_skip()
    {
        var schema = PgTestServer.NewSchemaName("patroni");
        IEventStore store;
        try
        {
            store = await PostgreSqlEventStore.OpenAsync(PgTestServer.WithSchema(Url, schema), EventStoreOptions.Default, Ct);
        }
        catch (EventStoreUnavailableException ex)
        {
            throw new InvalidOperationException(
                $"The Patroni cluster at {PgUrl.Redact(Url)} is not answering. Start it with scripts/patroni.sh (or set EVENTUALI_TEST_PATRONI).", ex);
        }

        await using var _ = store;
        var acknowledged = new ConcurrentDictionary<Guid, string>();
        var refused = new ConcurrentDictionary<Guid, string>();
        var outcomeUnknown = new ConcurrentDictionary<Guid, bool>(); // for the message when the test fails
        var failures = 0;
        var lastErrors = new ConcurrentDictionary<int, string>(); // per writer, for the message when the test fails
        var written = 0;
        var inside = 0;
        var killedAt = 0L; // Stopwatch ticks of the kill; 0 before it
        var firstFailureAt = 0L; // ticks of the first failed try after the kill: the outage is seen
        var recoveredAt = 0L; // ticks of the first append acknowledged that was tried after the outage was seen
        var clock = Stopwatch.StartNew();
        using var stopWriting = new CancellationTokenSource();

        // A live subscription across the failover, checkpointing as it goes; it rides out the outage by retrying.
        var checkpoints = (ICheckpointStore)store;
        var live = new ConcurrentQueue<RecordedEvent>();
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in store.SubscribeToAllAsync(0, null, SubscriptionRetryOptions.Default, stopReading.Token))
                {
                    live.Enqueue(e);
                    if (live.Count % 50 == 0)
                    {
                        try
                        {
                            await checkpoints.SaveCheckpointAsync("failover-reader", e.Position, stopReading.Token);
                        }
                        catch (EventStoreUnavailableException ex) when (ex.IsTransient)
                        {
                            // During the outage: the next one saves it.
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (stopReading.IsCancellationRequested)
            {
            }
        }, Ct);

        void NoteFailure()
        {
            if (Volatile.Read(ref killedAt) != 0)
            {
                Interlocked.CompareExchange(ref firstFailureAt, clock.Elapsed.Ticks, 0);
            }
        }

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stopWriting.IsCancellationRequested; i++)
            {
                var e = new EventData(Guid.NewGuid(), "deposited", Encoding.UTF8.GetBytes($$"""{"w":{{w}},"i":{{i}}}"""));
                var uncertain = false; // an earlier try of this id may be stored: retry it until its outcome is known
                while (true)
                {
                    Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), "appends did not succeed again after the failover");
                    var triedAt = clock.Elapsed.Ticks;
                    try
                    {
                        Interlocked.Increment(ref inside);
                        try
                        {
                            await store.AppendAsync($"writer-{w}", ExpectedVersion.Any, [e], Ct);
                        }
                        finally
                        {
                            Interlocked.Decrement(ref inside);
                        }

                        Assert.True(acknowledged.TryAdd(e.EventId, $"writer-{w}"));
                        Interlocked.Increment(ref written);
                        if (Volatile.Read(ref firstFailureAt) is var seen and not 0 && triedAt > seen)
                        {
                            Interlocked.CompareExchange(ref recoveredAt, clock.Elapsed.Ticks, 0);
                        }

                        break;
                    }
                    catch (AppendOutcomeUnknownException ex) when (ex.IsTransient)
                    {
                        Interlocked.Increment(ref failures);
                        NoteFailure();
                        lastErrors[w] = ex.Message;
                        uncertain = true;
                        outcomeUnknown[e.EventId] = true;
                    }
                    catch (EventStoreUnavailableException ex) when (ex.IsTransient)
                    {
                        Interlocked.Increment(ref failures);
                        NoteFailure();
                        lastErrors[w] = ex.Message;
                        if (!uncertain)
                        {
                            refused[e.EventId] = $"writer-{w}";
                            e = new EventData(Guid.NewGuid(), e.EventType, e.Data);
                        }
                    }

                    await Task.Delay(50, Ct); // the caller's backoff
                }
            }
        }, Ct)).ToList();

        // Kill mid-load, then keep writing until appends have gone on for a while on the new primary.
        await WaitUntilAsync(() => Volatile.Read(ref written) >= 400, TimeSpan.FromSeconds(60), "the writers did not get going");
        var killed = (await TestScripts.RunAsync("patroni.sh", "kill-primary", TimeSpan.FromSeconds(30), Ct)).Trim();
        Volatile.Write(ref killedAt, clock.Elapsed.Ticks);
        await WaitUntilAsync(() => Volatile.Read(ref recoveredAt) != 0, TimeSpan.FromSeconds(90),
            () => $"no append succeeded after the primary was killed ({Volatile.Read(ref inside)} appends in progress); last errors: {string.Join(" | ", lastErrors.Values.Distinct())}; writers failed with: {Faults(writers)}");
        var afterRecovery = Volatile.Read(ref written) + 400;
        await WaitUntilAsync(() => Volatile.Read(ref written) >= afterRecovery, TimeSpan.FromSeconds(60),
            () => $"appends did not go on after the failover ({Volatile.Read(ref written)} of {afterRecovery}); last errors: {string.Join(" | ", lastErrors.Values.Distinct())}; writers failed with: {Faults(writers)}");
        await stopWriting.CancelAsync();
        await Task.WhenAll(writers);
        var failover = TimeSpan.FromTicks(recoveredAt - killedAt);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"killed {killed}: appends succeeded again after {failover.TotalSeconds:F1} s; {acknowledged.Count} acknowledged, {failures} failed tries, {refused.Count} refused");

        // Every acknowledged event stored exactly once, no refused one stored.
        var stored = new Dictionary<Guid, int>();
        for (var w = 0; w < Writers; w++)
        {
            await foreach (var e in store.ReadStreamAsync($"writer-{w}", cancellationToken: Ct))
            {
                stored[e.EventId] = stored.GetValueOrDefault(e.EventId) + 1;
            }
        }

        Assert.True(failures > 0, "no append failed: the primary was not killed under load");
        Assert.Equal(acknowledged.Keys.Order(), stored.Keys.Order());
        Assert.All(stored.Values, n => Assert.Equal(1, n));
        Assert.DoesNotContain(refused.Keys, stored.ContainsKey);

        // The live subscription saw the log without a gap: in position order, and every event up to where it is.
        var log = await store.ReadAllAsync(cancellationToken: Ct).ToListAsync(Ct);
        Assert.Equal(stored.Count, log.Count);
        await WaitUntilAsync(() => live.Count >= log.Count, TimeSpan.FromSeconds(60), "the live subscription did not catch up after the failover");
        await stopReading.CancelAsync();
        await reader;
        var difference = LogDifference.Describe(log, [.. live], outcomeUnknown.Keys.ToHashSet());
        Assert.True(difference is null, difference);

        // A new subscriber resumes from the checkpoint saved on the old or new primary: the rest, each event once.
        var checkpoint = await checkpoints.LoadCheckpointAsync("failover-reader", Ct);
        Assert.NotNull(checkpoint);
        await store.AppendAsync("after-failover", ExpectedVersion.NoStream, [EventData.Json("noted", "{}"), EventData.Json("noted", "{}")], Ct);
        var expected = await store.ReadAllAsync(checkpoint.Value + 1, cancellationToken: Ct).Select(e => e.EventId).ToListAsync(Ct);
        Assert.Equal(log.Count(e => e.Position > checkpoint.Value) + 2, expected.Count);
        var rest = new List<Guid>();
        using (var resumed = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            resumed.CancelAfter(TimeSpan.FromSeconds(60));
            await foreach (var e in store.SubscribeToAllAsync(checkpoint.Value, cancellationToken: resumed.Token))
            {
                rest.Add(e.EventId);
                if (rest.Count == expected.Count)
                {
                    break;
                }
            }
        }

        Assert.Equal(expected, rest);
        Assert.True(failover < TimeSpan.FromSeconds(60), $"failover took {failover.TotalSeconds:F1} s");
        await DropSchemaAsync(schema);
    }

    private static async Task DropSchemaAsync(string schema)
    {
        await using var ds = Npgsql.NpgsqlDataSource.Create(PgUrl.Parse(Url).Builder.ConnectionString);
        await using var cmd = ds.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        await cmd.ExecuteNonQueryAsync(Ct);
    }

    private static string Faults(IEnumerable<Task> tasks)
        => string.Join(" | ", tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!.ToString()).Distinct().Take(3));

    private static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string failure) => WaitUntilAsync(condition, timeout, () => failure);

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, failure());
            await Task.Delay(50, Ct);
        }
    }
}
