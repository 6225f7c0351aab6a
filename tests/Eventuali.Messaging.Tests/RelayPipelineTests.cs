using System.Collections.Concurrent;
using System.Globalization;

namespace Eventuali.Messaging.Tests;

/// <summary>
/// The relay reads ahead and saves checkpoints while the next batch is published: still, no checkpoint ever passes a
/// batch the broker has not confirmed, and messages leave in log order.
/// </summary>
public sealed class RelayPipelineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_checkpoint_never_passes_an_unconfirmed_batch_while_the_next_page_is_read_ahead()
    {
        await using var orders = await TempStore.OpenAsync();
        for (var s = 0; s < 3; s++)
        {
            await Broker.AppendAsync(orders.Store, $"order-{s}", 40, Ct);
        }

        var publisher = new CheckingPublisher(orders.Store);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var relay = new EventRelay(orders.Store, publisher, new RelayRoute("orders") { BatchSize = 10 });
        var running = relay.RunAsync(stop.Token);
        await Broker.WaitUntilAsync(async () => (await RelayStatus.ListAsync(orders.Store, Ct)).SingleOrDefault()?.Lag == 0, "the checkpoint at the head", detail: () => relay.LastError);
        await stop.CancelAsync();
        await running;

        Assert.Empty(publisher.Violations);
        Assert.Equal(Enumerable.Range(1, 120).Select(p => (long)p), publisher.Positions);
        Assert.Equal(12, publisher.Batches);
    }

    /// <summary>Confirms every batch after checking the checkpoint stands at or before the last batch it confirmed.</summary>
    private sealed class CheckingPublisher(IEventStore store) : IMessagePublisher
    {
        private long _confirmedThrough;

        public ConcurrentQueue<string> Violations { get; } = new();

        public List<long> Positions { get; } = [];

        public int Batches { get; private set; }

        public string Broker => "checking";

        public async ValueTask PublishAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default)
        {
            Batches++;

            // Give a save started early every chance to land before looking.
            await Task.Yield();
            var checkpoint = (await RelayStatus.ListAsync(store, cancellationToken)).SingleOrDefault()?.Position ?? 0;
            if (checkpoint > _confirmedThrough)
            {
                Violations.Enqueue($"checkpoint {checkpoint} while only {_confirmedThrough} was confirmed");
            }

            Positions.AddRange(messages.Select(m => long.Parse(m.Headers[MessageHeaders.Position], CultureInfo.InvariantCulture)));
            _confirmedThrough = Positions[^1];
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
