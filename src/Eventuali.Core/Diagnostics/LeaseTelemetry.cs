namespace Eventuali.Diagnostics;

/// <summary>The lease counters of the Eventuali meter, tagged with the lease's name only.</summary>
internal static class LeaseTelemetry
{
    public static void Acquired(string name) => Telemetry.LeasesAcquired.Add(1, new KeyValuePair<string, object?>(EventualiAttributes.LeaseName, name));

    public static void Denied(string name) => Telemetry.LeasesDenied.Add(1, new KeyValuePair<string, object?>(EventualiAttributes.LeaseName, name));

    public static void Lost(string name, bool commitRefused)
        => Telemetry.LeasesLost.Add(1, new KeyValuePair<string, object?>(EventualiAttributes.LeaseName, name), new KeyValuePair<string, object?>(EventualiAttributes.LeaseCommitRefused, commitRefused));
}
