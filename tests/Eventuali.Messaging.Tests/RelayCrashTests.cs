using System.Globalization;
using Eventuali.Messaging.Nats;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Eventuali.Messaging.Tests;

/// <summary>The relay as a real process killed with SIGKILL between the broker's confirmation and the checkpoint.</summary>
public sealed class RelayCrashTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_relay_killed_between_publish_and_checkpoint_republishes_on_restart_and_the_inbox_applies_each_event_once()
    {
        var dir = Directory.CreateTempSubdirectory("eventuali-relay-crash-").FullName;
        var file = Path.Combine(dir, "orders.db");
        try
        {
            await using (var orders = await Sqlite.SqliteEventStore.OpenAsync(file, EventStoreOptions.Default, Ct))
            {
                for (var s = 0; s < 4; s++)
                {
                    await Broker.AppendAsync(orders, $"order-{s}", 30, Ct);
                }
            }

            var options = Broker.Isolated(ackWait: TimeSpan.FromSeconds(1));

            // First run: killed after the broker confirmed its third batch of 25, before that batch's checkpoint.
            long confirmed;
            using (var first = RelayProcess.Start(file, options.StreamName, options.SubjectPrefix, batch: 25, stopAfterBatches: 3))
            {
                var line = await first.ReadLineAsync(TimeSpan.FromSeconds(90));
                Assert.StartsWith("confirmed ", line, StringComparison.Ordinal);
                confirmed = long.Parse(line["confirmed ".Length..], CultureInfo.InvariantCulture);
                first.Kill();
            }

            await using (var orders = await Sqlite.SqliteEventStore.OpenAsync(file, EventStoreOptions.Default, Ct))
            {
                var checkpoint = (await RelayStatus.ListAsync(orders, Ct)).Single().Position;
                Assert.True(checkpoint < confirmed, $"the checkpoint ({checkpoint}) stayed behind what the broker confirmed ({confirmed})");
            }

            await using var nats = await Broker.ConnectAsync(Ct);
            var js = new NatsJSContext(nats);
            Assert.Equal(75, (await js.GetStreamAsync(options.StreamName, cancellationToken: Ct)).Info.State.Messages);

            // Restarted: publishes the unconfirmed batch again and the rest; JetStream drops the copies by message id.
            using (var second = RelayProcess.Start(file, options.StreamName, options.SubjectPrefix, batch: 25, stopAfterBatches: 0))
            {
                var exit = await second.WaitForExitAsync(TimeSpan.FromSeconds(90));
                Assert.True(exit == 0, $"the restarted relay exited with {exit}: {await second.ErrorAsync}");
            }

            var stored = await ReadStreamAsync(js, options.StreamName, 120);
            Assert.Equal(120, stored.Select(m => m.Id).Distinct().Count());
            foreach (var perStream in stored.GroupBy(m => m.Stream))
            {
                Assert.Equal(Enumerable.Range(1, 30).Select(v => (long)v), perStream.Select(m => m.Version));
            }

            // The consuming side: each event's effect exactly once, counted in the consumer's own store.
            await using var shipping = await TempStore.OpenAsync();
            await using var inbox = (await MessageInbox.TryOpenAsync(shipping.Store, "shipping", "test", Ct))!;
            await using var source = new NatsJetStreamSource(await Broker.ConnectAsync(Ct), "shipping", "order", options, ownsConnection: true);
            var consumer = new CountingConsumer();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var consuming = MessageConsumer.RunAsync(source, (m, c) => consumer.HandleAsync(inbox, m, c), cancellationToken: stop.Token);
            await Broker.WaitUntilAsync(async () => await inbox.CountAsync(Ct) == 120, "120 messages in the inbox");
            var applied = await CountingConsumer.ReadAsync(shipping.Store, "shipping", Ct);
            Assert.Equal(4, applied.Count);
            Assert.All(applied.Values, v => Assert.Equal((30L, 30L), v));
            Assert.Empty(consumer.Violations);
            await stop.CancelAsync();
            try
            {
                await consuming;
            }
            catch (OperationCanceledException)
            {
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<List<(string Id, string Stream, long Version)>> ReadStreamAsync(NatsJSContext js, string stream, int expected)
    {
        var total = (await js.GetStreamAsync(stream, cancellationToken: Ct)).Info.State.Messages;
        Assert.Equal(expected, total);
        var consumer = await js.CreateOrderedConsumerAsync(stream, cancellationToken: Ct);
        var result = new List<(string, string, long)>();
        await foreach (var msg in consumer.FetchAsync(new NatsJSFetchOpts { MaxMsgs = expected, Expires = TimeSpan.FromSeconds(10) }, NatsRawSerializer<byte[]>.Default, Ct))
        {
            result.Add((msg.Headers!["Nats-Msg-Id"].ToString(), msg.Headers[MessageHeaders.StreamId].ToString(), long.Parse(msg.Headers[MessageHeaders.StreamVersion].ToString(), CultureInfo.InvariantCulture)));
        }

        return result;
    }
}
