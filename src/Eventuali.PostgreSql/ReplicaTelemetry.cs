using System.Diagnostics.Metrics;
using Eventuali.Diagnostics;

namespace Eventuali.PostgreSql;

/// <summary>
/// The replica instruments of the Eventuali meter: reads counted by who served them, and each replica's replay lag
/// (sampled in the background when a listener collects, like the watermark gauge).
/// </summary>
internal static class ReplicaTelemetry
{
    private static readonly Meter Meter = new(EventualiDiagnostics.MeterName, EventualiDiagnostics.Version);

    private static readonly Counter<long> Reads = Meter.CreateCounter<long>(
        EventualiInstruments.ReplicaReads, "{read}", "Stream and global-log reads (pages) of stores with replicas, by who served them.");

    private static readonly KeyValuePair<string, object?> ByReplica = new(EventualiAttributes.ReadServedBy, "replica");
    private static readonly KeyValuePair<string, object?> ByPrimary = new(EventualiAttributes.ReadServedBy, "primary");

    static ReplicaTelemetry()
    {
        Meter.CreateObservableGauge(EventualiInstruments.ReplicaLagBytes, () => Lag(s => s.LagBytes), "By", "WAL bytes a replica has still to replay.");
        Meter.CreateObservableGauge(EventualiInstruments.ReplicaLagSeconds, () => Lag(s => s.LagSeconds), "s", "Seconds since the commit of the last transaction a replica replayed (0 when caught up).");
    }

    /// <summary>Runs the static constructor (which creates the gauges); nothing else.</summary>
    public static void Register()
    {
    }

    public static void ServedByReplica()
    {
        if (Reads.Enabled)
        {
            Reads.Add(1, ByReplica);
        }
    }

    public static void ServedByPrimary()
    {
        if (Reads.Enabled)
        {
            Reads.Add(1, ByPrimary);
        }
    }

    private static IEnumerable<Measurement<double>> Lag(Func<PostgreSqlReplicaStatus, double?> value)
    {
        foreach (var store in PgReplicas.All)
        {
            store.SampleInBackground();
            foreach (var replica in store.Replicas)
            {
                if (replica.LastStatus is { } status && value(status) is { } v)
                {
                    yield return new Measurement<double>(v, new KeyValuePair<string, object?>(EventualiAttributes.Replica, replica.Endpoint));
                }
            }
        }
    }
}
