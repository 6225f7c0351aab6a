using System.Diagnostics;
using Eventuali.Messaging;

namespace Eventuali.RelayBench;

/// <summary>One throughput run: the relay drains the pre-filled store, then the client's raw loop publishes the same messages.</summary>
/// <param name="RelayCpuMicros">This process's CPU (all threads) per event while the relay ran, in microseconds.</param>
/// <param name="RawCpuMicros">The same for the raw publish loop: on a loaded machine CPU per event varies far less than events/s.</param>
/// <param name="BrokerRelayMicros">The broker process's CPU per event while the relay ran (NaN when unknown).</param>
/// <param name="BrokerRawMicros">The same while the raw loop ran.</param>
internal sealed record ThroughputResult(double RelayRate, double RawRate, double RelayCpuMicros, double RawCpuMicros, double BrokerRelayMicros, double BrokerRawMicros, string Load)
{
    public double Ratio => RelayRate / RawRate;
}

internal static class Throughput
{
    public static async Task<ThroughputResult> RunAsync(IBrokerBench broker, IEventStore store, IReadOnlyList<OutboundMessage> messages, int batchSize, int window, CancellationToken ct)
    {
        var load = Stats.LoadAverage();
        var cpu = Stats.ProcessCpu();
        var brokerCpu = Stats.BrokerCpu(broker.Name);
        var relayRate = await RelayAsync(broker, store, messages.Count, batchSize, window, ct).ConfigureAwait(false);
        var relayCpu = Stats.ProcessCpu() - cpu;
        var brokerRelay = Stats.BrokerCpu(broker.Name) - brokerCpu;
        cpu = Stats.ProcessCpu();
        brokerCpu = Stats.BrokerCpu(broker.Name);
        var rawRate = await RawAsync(broker, messages, batchSize, window, ct).ConfigureAwait(false);
        var rawCpu = Stats.ProcessCpu() - cpu;
        var brokerRaw = Stats.BrokerCpu(broker.Name) - brokerCpu;
        return new ThroughputResult(
            relayRate, rawRate, relayCpu.TotalMicroseconds / messages.Count, rawCpu.TotalMicroseconds / messages.Count,
            brokerRelay?.TotalMicroseconds / messages.Count ?? double.NaN, brokerRaw?.TotalMicroseconds / messages.Count ?? double.NaN,
            load + " -> " + Stats.LoadAverage());
    }

    /// <summary>Events/s of a relay from position 0 until the broker confirmed all <paramref name="count"/> events.</summary>
    private static async Task<double> RelayAsync(IBrokerBench broker, IEventStore store, int count, int batchSize, int window, CancellationToken ct)
    {
        var tag = Tags.New();
        await broker.PrepareAsync(tag, ct).ConfigureAwait(false);
        try
        {
            var publisher = new CountingPublisher(await broker.RelayPublisherAsync(ct).ConfigureAwait(false), count);
            await using (publisher.ConfigureAwait(false))
            {
                // A route of its own per run: its checkpoint starts at the beginning of the log.
                var relay = new EventRelay(store, publisher, new RelayRoute("bench-" + tag) { BatchSize = batchSize }, new RelayOptions { NodeId = "relay-bench", MaxBatchesInFlight = window });
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var clock = Stopwatch.StartNew();
                var running = relay.RunAsync(stop.Token);

                // Woken by the publisher's last confirm, not polled: a polling loop would add its own CPU to the relay's.
                await Task.WhenAny(publisher.AllConfirmed, running).WaitAsync(TimeSpan.FromMinutes(5), ct).ConfigureAwait(false);
                clock.Stop();
                await stop.CancelAsync().ConfigureAwait(false);
                await running.ConfigureAwait(false);
                if (relay.Published < count)
                {
                    throw new InvalidOperationException($"The {broker.Name} relay stopped after {relay.Published} of {count} events: {relay.LastError?.Message}");
                }

                if (relay.LastError is { } error)
                {
                    // A failed batch is published again: the run is slower than it should be, and this says why.
                    Console.WriteLine($"  {broker.Name} relay had a failed publish (retried): {error.Message}");
                }

                return count / clock.Elapsed.TotalSeconds;
            }
        }
        finally
        {
            await broker.CleanupAsync(ct).ConfigureAwait(false);
        }
    }

    private static async Task<double> RawAsync(IBrokerBench broker, IReadOnlyList<OutboundMessage> messages, int batchSize, int window, CancellationToken ct)
    {
        await broker.PrepareAsync(Tags.New(), ct).ConfigureAwait(false);
        try
        {
            var clock = Stopwatch.StartNew();
            await broker.RawPublishAsync(messages, batchSize, window, ct).ConfigureAwait(false);
            return messages.Count / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            await broker.CleanupAsync(ct).ConfigureAwait(false);
        }
    }
}

/// <summary>The relay's publisher, completing <see cref="AllConfirmed"/> once <c>target</c> messages were confirmed.</summary>
internal sealed class CountingPublisher(IMessagePublisher inner, int target) : IMessagePublisher
{
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _confirmed;

    public Task AllConfirmed => _all.Task;

    public string Broker => inner.Broker;

    public async ValueTask PublishAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default)
        => await (await SendAsync(messages, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);

    public async ValueTask<Task> SendAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default)
    {
        var confirmed = await inner.SendAsync(messages, cancellationToken).ConfigureAwait(false);
        return CountAsync(confirmed, messages.Count);
    }

    private async Task CountAsync(Task confirmed, int count)
    {
        await confirmed.ConfigureAwait(false);
        if (Interlocked.Add(ref _confirmed, count) >= target)
        {
            _all.TrySetResult();
        }
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}

/// <summary>Names per run and waiting on conditions.</summary>
internal static class Tags
{
    public static string New() => Guid.NewGuid().ToString("N")[..10];

    /// <summary>Checks <paramref name="done"/> every millisecond or so until it holds; past <paramref name="limit"/>, fails with <paramref name="what"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> done, TimeSpan limit, Func<string> what, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"Not done within {limit.TotalSeconds} s: {what()}.");
            }

            await Task.Delay(1, ct).ConfigureAwait(false);
        }
    }
}
