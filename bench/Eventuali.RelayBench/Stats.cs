using System.Diagnostics;
using System.Globalization;

namespace Eventuali.RelayBench;

/// <summary>Medians, percentiles and what the machine was doing meanwhile.</summary>
internal static class Stats
{
    public static double Median(IEnumerable<double> values) => Eventuali.Bench.Figures.Median(values);

    /// <summary>The <paramref name="p"/> quantile (0-1) of ascending <paramref name="sorted"/>, nearest rank.</summary>
    public static double Percentile(double[] sorted, double p)
        => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>The 1-minute load average (Linux), or "?" elsewhere: on a shared machine it says how loaded a figure is.</summary>
    public static string LoadAverage() => Eventuali.Bench.Figures.LoadAverage();

    /// <summary>
    /// CPU seconds of the process and of its busiest threads (Linux /proc, user + system): where the relay's time goes
    /// when a target is missed, without a profiler.
    /// </summary>
    public static string ThreadCpu()
    {
        var top = Eventuali.Bench.ProcStat.Threads().Take(4).Select(t => Format($"{t.Name} {t.Seconds:F2}")).ToList();
        var process = Format($"cpu {Eventuali.Bench.ProcStat.ProcessSeconds():F2} s");
        return top.Count == 0 ? process : Format($"{process}; busiest threads: {string.Join(", ", top)} s");
    }

    public static TimeSpan ProcessCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>
    /// CPU of the broker process scripts/brokers.sh started for <paramref name="broker"/> (its pid file in
    /// EVENTUALI_BROKERS_DATA, Linux /proc user + system), or null when it cannot be read: the broker's cost per event
    /// varies far less with the machine's load than events/s do.
    /// </summary>
    public static TimeSpan? BrokerCpu(string broker)
    {
        try
        {
            var data = Environment.GetEnvironmentVariable("EVENTUALI_BROKERS_DATA");
            if (data is null || !File.Exists(Path.Combine(data, broker + ".pid")))
            {
                return null;
            }

            var pid = File.ReadAllText(Path.Combine(data, broker + ".pid")).Trim();
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which may hold spaces): utime and stime are the 14th and 15th.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
