using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Eventuali.Diagnostics;
using Eventuali.Lifecycle;
using Eventuali.Subscriptions;

namespace Eventuali.PostgreSql.Tests;

/// <summary>
/// Reads through a real streaming standby (scripts/pg-replica.sh): served by the replica when it has replayed far
/// enough, the writer's own events always visible, replay paused and the standby stopped without a stale read, a
/// skipped or duplicated event, or an error. One class: its faults (pause, stop) must not overlap each other.
/// </summary>
public sealed class ReplicaReadTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _schema = PgTestServer.NewSchemaName("replread");
    private PostgreSqlEventStore _writer = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _writer = await PgReplicaServer.OpenAsync(_schema, Ct);

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await PgTestServer.DropSchemaAsync(_schema);
    }

    private Task<PostgreSqlEventStore> ReaderAsync() => PgReplicaServer.OpenAsync(_schema, Ct);

    private static async Task UntilAsync(Func<Task<bool>> condition, string what, Func<string>? detail = null)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {Patience.TotalSeconds} s waiting until {what}{(detail is null ? "" : "; " + detail())}");
            await Task.Delay(20, Ct);
        }
    }

    [Fact]
    public async Task Reads_are_served_by_the_replica_once_it_has_replayed_and_the_metrics_say_so()
    {
        var appended = await _writer.AppendAsync("order-1", ExpectedVersion.NoStream, TestEvents.Many(20), Ct);
        var served = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EventualiDiagnostics.MeterName && instrument.Name.StartsWith("eventuali.replica.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == EventualiAttributes.ReadServedBy)
                {
                    served.AddOrUpdate((string)tag.Value!, value, (_, v) => v + value);
                }
            }
        });
        var lag = new ConcurrentDictionary<string, double>();
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => lag[instrument.Name] = value);
        listener.Start();

        // A new store object has written and read nothing: the replica may serve it as soon as it has the events.
        await using var reader = await ReaderAsync();
        var replica = (await reader.GetReplicaStatusAsync(Ct)).Single();
        await UntilAsync(async () =>
        {
            var before = (await reader.GetReplicaStatusAsync(Ct))[0].ReadsServed;
            var events = await reader.ReadStreamAsync("order-1", cancellationToken: Ct).ToListAsync(Ct);
            var after = (await reader.GetReplicaStatusAsync(Ct))[0].ReadsServed;
            return events.Count == 20 && after > before;
        }, "the replica served the whole stream");

        // Another test's open transaction on the shared server may hold the log's readable head back for a while.
        await TestEvents.WaitUntilReadableAsync(reader, appended.LastPosition);
        var log = await reader.ReadAllAsync(1, cancellationToken: Ct).ToListAsync(Ct);
        Assert.Equal(appended.LastPosition, log[^1].Position);
        Assert.Equal(20, log.Count);

        Assert.True(served.GetValueOrDefault("replica") > 0, "eventuali.replica.reads counted no read served by the replica");
        await UntilAsync(() =>
        {
            listener.RecordObservableInstruments(); // the first collection starts a sample, a later one reports it
            return Task.FromResult(lag.ContainsKey(EventualiInstruments.ReplicaLagBytes) && lag.ContainsKey(EventualiInstruments.ReplicaLagSeconds));
        }, "the lag gauges reported the replica");
        var status = (await reader.GetReplicaStatusAsync(Ct))[0];
        Assert.True(status.Reachable);
        Assert.Equal(replica.Endpoint, status.Endpoint);
        Assert.NotNull(status.LagBytes);
        Assert.False(status.ReplayPaused);
    }

    [Fact]
    public async Task The_writer_always_reads_its_own_appends()
    {
        for (var i = 0; i < 40; i++)
        {
            var stream = $"ryw-{i}";
            var result = await _writer.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Many(2), Ct);
            var events = await _writer.ReadStreamAsync(stream, cancellationToken: Ct).ToListAsync(Ct);
            Assert.Equal([1L, 2L], events.Select(e => e.StreamVersion));
            Assert.Equal(2, await _writer.GetStreamVersionAsync(stream, Ct));
            var tail = await _writer.ReadAllAsync(result.LastPosition, 1, cancellationToken: Ct).ToListAsync(Ct);
            Assert.Equal(result.LastPosition, Assert.Single(tail).Position);
        }

        // A stream this store object deleted is gone for it at once, whatever the replica has replayed.
        Assert.True(await _writer.DeleteStreamAsync("ryw-0", DeleteMode.Soft, Ct));
        Assert.Empty(await _writer.ReadStreamAsync("ryw-0", cancellationToken: Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task With_replay_paused_the_writer_sees_its_events_and_a_subscription_neither_skips_nor_duplicates()
    {
        var before = await _writer.AppendAsync("before", ExpectedVersion.NoStream, TestEvents.Many(30), Ct);
        await using var reader = await ReaderAsync();
        await PgReplicaServer.PauseAsync(Ct);
        try
        {
            var delivered = new ConcurrentQueue<RecordedEvent>();
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var consumer = Task.Run(async () =>
            {
                await foreach (var e in reader.SubscribeToAllAsync(0, null, cts.Token))
                {
                    delivered.Enqueue(e);
                }
            }, cts.Token);

            var primaryBefore = _writer.ReadsServedByPrimary;
            var ids = new ConcurrentBag<Guid>();
            await Parallel.ForAsync(0, 4, Ct, async (w, ct) =>
            {
                for (var i = 0; i < 25; i++)
                {
                    var stream = $"paused-{w}-{i}";
                    var data = TestEvents.Json("paused");
                    await _writer.AppendAsync(stream, ExpectedVersion.NoStream, [data], ct);
                    var read = await _writer.ReadStreamAsync(stream, cancellationToken: ct).ToListAsync(ct);
                    Assert.Equal(data.EventId, Assert.Single(read).EventId);
                    ids.Add(data.EventId);
                }
            });
            Assert.True(_writer.ReadsServedByPrimary > primaryBefore, "the writer's reads were not served by the primary while the replica was paused");

            await UntilAsync(() => Task.FromResult(delivered.Count >= 130), "the subscription delivered all 130 events");
            PostgreSqlReplicaStatus? last = null;
            await UntilAsync(async () => (last = (await reader.GetReplicaStatusAsync(Ct))[0]) is { ReplayPaused: true, LagBytes: > 0 }, "the status showed replay paused with a lag", () => $"last status {last}");
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consumer);

            var got = delivered.ToList();
            Assert.Equal(130, got.Count);
            Assert.Equal(got.Select(e => e.Position).Order(), got.Select(e => e.Position));
            Assert.Equal(got.Count, got.Select(e => e.EventId).Distinct().Count());
            Assert.Equal(before.LastPosition, got[29].Position);
            Assert.Subset(got.Select(e => e.EventId).ToHashSet(), ids.ToHashSet());
        }
        finally
        {
            await PgReplicaServer.ResumeAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task With_the_replica_stopped_reads_still_work_and_it_serves_again_once_back()
    {
        await _writer.AppendAsync("kept", ExpectedVersion.NoStream, TestEvents.Many(5), Ct);
        await using var reader = await ReaderAsync();
        await PgReplicaServer.HaltAsync(Ct);
        try
        {
            var appended = await _writer.AppendAsync("while-down", ExpectedVersion.NoStream, TestEvents.Many(3), Ct);
            Assert.Equal(5, (await reader.ReadStreamAsync("kept", cancellationToken: Ct).ToListAsync(Ct)).Count);
            Assert.Equal(3, (await _writer.ReadStreamAsync("while-down", cancellationToken: Ct).ToListAsync(Ct)).Count);
            await TestEvents.WaitUntilReadableAsync(reader, appended.LastPosition);
            var log = await reader.ReadAllAsync(1, cancellationToken: Ct).ToListAsync(Ct);
            Assert.Contains(log, e => e.Position == appended.LastPosition);
            Assert.False((await reader.GetReplicaStatusAsync(Ct))[0].Reachable);
            Assert.True(reader.ReadsServedByPrimary > 0);
        }
        finally
        {
            await PgReplicaServer.StartAsync(CancellationToken.None);
        }

        await UntilAsync(async () =>
        {
            var served = (await reader.GetReplicaStatusAsync(Ct))[0].ReadsServed;
            await reader.ReadStreamAsync("kept", cancellationToken: Ct).ToListAsync(Ct);
            return (await reader.GetReplicaStatusAsync(Ct))[0].ReadsServed > served;
        }, "the replica served reads again after it came back");
    }
}
