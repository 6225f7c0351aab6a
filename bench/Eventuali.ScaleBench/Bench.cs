using System.Diagnostics;
using System.Globalization;
using System.Text;
using Eventuali.Bench;
using Eventuali.Projections;

namespace Eventuali.ScaleBench;

/// <summary>What both modes share: the store's schema, appends, partition statuses, waiting, medians.</summary>
internal static class Bench
{
    /// <summary>Drops the bench's schema, so every invocation starts from an empty store.</summary>
    public static Task ResetAsync(string url) => BenchPostgres.DropSchemaAsync(url, "scalebench");

    public static EventData Event(int n)
        => new(EventData.NewEventId(), BenchProjection.EventType, Encoding.UTF8.GetBytes($$"""{"amount":{{n % 500}},"note":"payment {{n}}","currency":"EUR"}"""), EventMetadata.Empty, ContentTypes.Json);

    /// <summary>The statuses of <paramref name="projection"/>'s partitions that some node has run, by partition.</summary>
    public static async Task<Dictionary<int, ProjectionStatus>> PartitionsAsync(IEventStore store, string projection)
        => (await store.GetProjectionStatusesAsync()).Where(s => s.Name.StartsWith(projection + "#", StringComparison.Ordinal))
            .ToDictionary(s => ProjectionPartitions.PartitionOf(s.Name)!.Value);

    public static async Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan timeout, int everyMs = 20)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting until {what}.");
            }

            await Task.Delay(everyMs);
        }
    }

    public static double Median(IEnumerable<double> values) => Figures.Median(values);

    /// <summary>The 1, 5 and 15 minute load averages: the machine is shared, so every figure is printed with the load it was measured under.</summary>
    public static string Load() => "load " + Figures.LoadAverage(3);

    /// <summary>CPU seconds used so far by the running PostgreSQL processes (the server is on this machine).</summary>
    public static double ServerCpuSeconds() => ProcStat.SecondsOf("postgres");

    public static string F(double value, string format = "F2") => value.ToString(format, CultureInfo.InvariantCulture);
}
