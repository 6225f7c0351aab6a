using System.Collections.Concurrent;
using System.Text;

namespace Eventuali.PostgreSql.Tests;

/// <summary>Runs alone: a PgBouncer restart cuts every test's connections through it.</summary>
[CollectionDefinition(nameof(PgBouncerRestartCollection), DisableParallelization = true)]
public sealed class PgBouncerRestartCollection;

/// <summary>
/// A PgBouncer restart during appends: each append is acknowledged and stored once, or refused with a retryable error
/// and never stored; an unknown outcome retried with the same id is stored once.
/// </summary>
[Collection(nameof(PgBouncerRestartCollection))]
public sealed class PgBouncerRestartTests : IAsyncLifetime
{
    private string? _schema;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_PgBouncer_restart_during_appends_loses_nothing_acknowledged_and_stores_nothing_refused()
    {
        await using var store = await OpenAsync(PgBouncerServer.Url);
        var acknowledged = new ConcurrentDictionary<Guid, string>();
        var refused = new ConcurrentDictionary<Guid, string>();
        var failures = 0;
        var written = 0;
        const int writers = 16, perWriter = 40;
        var restarted = Task.Run(async () =>
        {
            // Restart once a quarter of the appends are in, so the restart lands mid-load.
            while (Volatile.Read(ref written) < writers * perWriter / 4)
            {
                await Task.Delay(20, Ct);
            }

            await PgBouncerServer.RestartAsync(Ct);
        }, Ct);

        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                var e = new EventData(Guid.NewGuid(), "deposited", Encoding.UTF8.GetBytes($$"""{"w":{{w}},"i":{{i}}}"""));
                var uncertain = false; // an earlier try of this id may be stored: retry it until its outcome is known
                for (var attempt = 0; ; attempt++)
                {
                    Assert.True(attempt < 400, "an append kept failing long after the restart");
                    try
                    {
                        await store.AppendAsync($"writer-{w}", ExpectedVersion.Any, [e], Ct);
                        Assert.True(acknowledged.TryAdd(e.EventId, $"writer-{w}"));
                        Interlocked.Increment(ref written);
                        break;
                    }
                    catch (AppendOutcomeUnknownException ex) when (ex.IsTransient)
                    {
                        Interlocked.Increment(ref failures);
                        uncertain = true;
                    }
                    catch (EventStoreUnavailableException ex) when (ex.IsTransient)
                    {
                        // Refused before anything was sent: this try stored nothing. A fresh id is only safe when no
                        // earlier try of this one is in doubt.
                        Interlocked.Increment(ref failures);
                        if (!uncertain)
                        {
                            refused[e.EventId] = $"writer-{w}";
                            e = new EventData(Guid.NewGuid(), e.EventType, e.Data);
                        }
                    }

                    await Task.Delay(25, Ct); // the caller's backoff
                }
            }
        }, Ct)).ToList();
        await Task.WhenAll(tasks);
        await restarted;

        Assert.True(failures > 0, "no append failed during the restart: the test proved nothing");
        var stored = new Dictionary<Guid, int>();
        for (var w = 0; w < writers; w++)
        {
            await foreach (var e in store.ReadStreamAsync($"writer-{w}", cancellationToken: Ct))
            {
                stored[e.EventId] = stored.GetValueOrDefault(e.EventId) + 1;
            }
        }

        Assert.Equal(writers * perWriter, acknowledged.Count);
        Assert.Equal(acknowledged.Keys.Order(), stored.Keys.Order());
        Assert.All(stored.Values, n => Assert.Equal(1, n));
        Assert.DoesNotContain(refused.Keys, stored.ContainsKey);
    }

    private async Task<IEventStore> OpenAsync(string url)
    {
        await PgTestServer.UrlAsync();
        _schema = PgTestServer.NewSchemaName("bouncer");
        return await PostgreSqlEventStore.OpenAsync(PgTestServer.WithSchema(url, _schema), EventStoreOptions.Default, Ct);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_schema is not null)
        {
            await PgTestServer.DropSchemaAsync(_schema);
        }
    }
}
