using System.Globalization;
using Eventuali.Messaging.RabbitMq;

namespace Eventuali.Messaging.Tests;

/// <summary>A publisher on several channels: every stream's events still arrive in order, all of them.</summary>
public sealed class RabbitMqPublishChannelsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Streams_are_spread_over_the_channels_the_same_way_every_time()
    {
        var spread = Enumerable.Range(0, 200).Select(i => RabbitMqOptions.ChannelOf("order-" + i, 4)).ToList();
        Assert.All(spread, c => Assert.InRange(c, 0, 3));
        Assert.Equal(4, spread.Distinct().Count());
        Assert.Equal(spread, Enumerable.Range(0, 200).Select(i => RabbitMqOptions.ChannelOf("order-" + i, 4)));
        Assert.All(Enumerable.Range(0, 20), i => Assert.Equal(0, RabbitMqOptions.ChannelOf("order-" + i, 1)));
    }

    [Fact]
    public async Task A_publish_channel_count_out_of_range_is_refused_naming_the_option()
    {
        await using var kit = new RabbitMqKit(publishChannels: 0);
        var refused = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await kit.PublisherAsync());
        Assert.Contains("PublishChannels", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_stream_arrives_complete_and_in_order_over_four_channels()
    {
        await using var kit = new RabbitMqKit(publishChannels: 4);
        await kit.PrepareAsync();
        await using var orders = await TempStore.OpenAsync();
        const int streams = 8, events = 30;
        for (var s = 0; s < streams; s++)
        {
            await Broker.AppendAsync(orders.Store, "order-" + s.ToString(CultureInfo.InvariantCulture), events, Ct);
        }

        await using var publisher = await kit.PublisherAsync();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var relay = new EventRelay(orders.Store, publisher, new RelayRoute("orders") { Category = "order-", BatchSize = 25 }, new RelayOptions { MaxBatchesInFlight = 4 });
        var relaying = relay.RunAsync(stop.Token);

        var received = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        await using var source = await kit.SourceAsync("channels");
        var consuming = MessageConsumer.RunAsync(source, (m, _) =>
        {
            lock (received)
            {
                var stream = m.Headers[MessageHeaders.StreamId];
                if (!received.TryGetValue(stream, out var versions))
                {
                    received[stream] = versions = [];
                }

                versions.Add(long.Parse(m.Headers[MessageHeaders.StreamVersion], CultureInfo.InvariantCulture));
            }

            return ValueTask.CompletedTask;
        }, cancellationToken: stop.Token);
        await Broker.WaitUntilAsync(() => Task.FromResult(Count(received) >= streams * events), $"{streams * events} deliveries over four channels", detail: () => relay.LastError);

        lock (received)
        {
            Assert.Equal(streams, received.Count);
            foreach (var (stream, versions) in received)
            {
                // In the order each stream was written (a redelivered copy could only repeat a version, never reorder).
                Assert.Equal(Enumerable.Range(1, events).Select(v => (long)v), versions.Distinct());
                Assert.True(versions.Zip(versions.Skip(1)).All(p => p.Second >= p.First), $"stream {stream} arrived out of order: {string.Join(",", versions)}");
            }
        }

        await stop.CancelAsync();
        await relaying;
        try
        {
            await consuming;
        }
        catch (OperationCanceledException)
        {
            // Stopping the consumer may surface as cancellation.
        }
    }

    private static int Count(Dictionary<string, List<long>> received)
    {
        lock (received)
        {
            return received.Values.Sum(v => v.Count);
        }
    }
}
