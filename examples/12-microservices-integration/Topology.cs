using Eventuali.Messaging.Nats;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace MicroservicesIntegration;

/// <summary>Where the two services meet in NATS: one JetStream stream each way, named for this run so runs never mix.</summary>
internal static class Topology
{
    public const string NatsUrlVariable = "EVENTUALI_NATS_URL";

    public const string MissingUrl = NatsUrlVariable + " is not set: start NATS with eval \"$(bash scripts/brokers.sh)\" (or point it at a NATS server with JetStream enabled).";

    public static string? NatsUrl => Environment.GetEnvironmentVariable(NatsUrlVariable) is { Length: > 0 } url ? url : null;

    public static NatsJetStreamOptions Orders(string run) => new()
    {
        StreamName = "EX12_ORDERS_" + run,
        SubjectPrefix = "ex12o" + run,
        DeadLetterStreamName = "EX12_ORDERS_DEAD_" + run,
        // A delivery the killed consumer never acknowledged comes back after this; the restarted one waits longer than
        // that for the killed one's inbox lease anyway. Much shorter, and on a loaded machine prefetched messages
        // waiting their turn come back again and again (handled as duplicates, but slowing the run).
        AckWait = TimeSpan.FromSeconds(5),
    };

    public static NatsJetStreamOptions Shipments(string run) => new()
    {
        StreamName = "EX12_SHIPMENTS_" + run,
        SubjectPrefix = "ex12s" + run,
        DeadLetterStreamName = "EX12_SHIPMENTS_DEAD_" + run,
        AckWait = TimeSpan.FromSeconds(5),
    };

    /// <summary>Removes this run's streams (those a failed run never created are skipped).</summary>
    public static async Task DeleteStreamsAsync(NatsConnection nats, string run)
    {
        var js = new NatsJSContext(nats);
        foreach (var options in new[] { Orders(run), Shipments(run) })
        {
            foreach (var name in new[] { options.StreamName, options.DeadLetterStreamName })
            {
                try
                {
                    await js.DeleteStreamAsync(name).ConfigureAwait(false);
                }
                catch (NatsJSApiException)
                {
                }
            }
        }
    }
}
