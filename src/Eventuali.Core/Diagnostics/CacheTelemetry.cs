using Eventuali.Caching;

namespace Eventuali.Diagnostics;

/// <summary>The aggregate cache's instruments; the hit ratio gauge covers every cache of the process.</summary>
internal static class CacheTelemetry
{
    private static long _served;
    private static long _lookups;

    public static void Lookup(CacheOutcome outcome)
    {
        Interlocked.Increment(ref _lookups);
        if (outcome is CacheOutcome.Hit or CacheOutcome.Behind)
        {
            Interlocked.Increment(ref _served);
        }

        if (Telemetry.CacheLookups.Enabled)
        {
            var result = outcome switch
            {
                CacheOutcome.Hit => "hit",
                CacheOutcome.Behind => "behind",
                CacheOutcome.Miss => "miss",
                _ => "invalid",
            };
            Telemetry.CacheLookups.Add(1, new KeyValuePair<string, object?>(EventualiAttributes.CacheResult, result));
        }
    }

    public static void Error(string operation)
    {
        if (Telemetry.CacheErrors.Enabled)
        {
            Telemetry.CacheErrors.Add(1, new KeyValuePair<string, object?>(EventualiAttributes.CacheOperation, operation));
        }
    }

    /// <summary>The share of lookups served from the cache since the process started (0 before the first).</summary>
    public static double HitRatio()
    {
        var lookups = Interlocked.Read(ref _lookups);
        return lookups == 0 ? 0 : (double)Interlocked.Read(ref _served) / lookups;
    }
}
