using System.Diagnostics;
using System.Globalization;

namespace Eventuali.Bench;

/// <summary>
/// CPU time from Linux's /proc (user + system, in seconds), for benches on a shared machine: where a run's time went
/// without a profiler, and how much of the cores another process (the database) took meanwhile.
/// </summary>
internal static class ProcStat
{
    /// <summary>The CPU seconds of this process's threads, busiest first, by thread name; empty where /proc is missing.</summary>
    public static IReadOnlyList<(string Name, double Seconds)> Threads()
    {
        var threads = new List<(string Name, double Seconds)>();
        if (Directory.Exists("/proc/self/task"))
        {
            foreach (var task in Directory.GetDirectories("/proc/self/task"))
            {
                if (Read(task) is { } thread)
                {
                    threads.Add(thread);
                }
            }
        }

        return [.. threads.OrderByDescending(t => t.Seconds)];
    }

    /// <summary>The CPU seconds of this whole process.</summary>
    public static double ProcessSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    /// <summary>
    /// The CPU seconds used so far by every running process whose command name is <paramref name="command"/>.
    /// Processes that exited are not counted, so read it before they stop.
    /// </summary>
    public static double SecondsOf(string command)
    {
        double seconds = 0;
        foreach (var dir in Directory.Exists("/proc") ? Directory.EnumerateDirectories("/proc") : [])
        {
            if (Read(dir) is { } process && process.Name == command)
            {
                seconds += process.Seconds;
            }
        }

        return seconds;
    }

    /// <summary>Name and CPU seconds from a /proc stat file, or null when it is gone or unreadable.</summary>
    private static (string Name, double Seconds)? Read(string dir)
    {
        try
        {
            var stat = File.ReadAllText(Path.Combine(dir, "stat"));
            var close = stat.LastIndexOf(')');
            // After "(name) " comes the state (field 3); utime and stime are fields 14 and 15, in 1/100 s.
            var fields = stat[(close + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return (stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..close], ticks / 100.0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            return null; // The thread or process ended meanwhile, or is not ours to read.
        }
    }
}
