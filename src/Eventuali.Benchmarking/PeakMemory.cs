using System.Diagnostics;
using System.Globalization;

namespace Eventuali.Benchmarking;

/// <summary>
/// Peak resident memory of one phase. On Linux, writing "5" to /proc/self/clear_refs resets the
/// kernel's high-water mark (VmHWM) to the current RSS, so VmHWM read afterwards covers only that phase.
/// Elsewhere the process-lifetime peak (<see cref="Process.PeakWorkingSet64"/>) is the best available.
/// </summary>
internal sealed class PeakMemory
{
    private const string ClearRefs = "/proc/self/clear_refs";
    private const string Status = "/proc/self/status";

    private bool _resetWorked;

    /// <summary>Starts a phase: collects garbage from earlier phases, then resets the kernel's peak.</summary>
    public void Reset()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        try
        {
            File.WriteAllText(ClearRefs, "5");
            _resetWorked = ReadVmHwmBytes() is not null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            _resetWorked = false;
        }
    }

    /// <summary>The peak in bytes since <see cref="Reset"/>, and how it was measured.</summary>
    public (long Bytes, string Source) Read()
    {
        if (_resetWorked && ReadVmHwmBytes() is { } hwm)
        {
            return (hwm, "VmHWM after resetting /proc/self/clear_refs (timed phase only)");
        }

        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return (self.PeakWorkingSet64, "Process.PeakWorkingSet64 (whole process lifetime; the peak could not be reset here)");
    }

    private static long? ReadVmHwmBytes()
    {
        if (!File.Exists(Status))
        {
            return null;
        }

        foreach (var line in File.ReadLines(Status))
        {
            // "VmHWM:     123456 kB"
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var parts = line["VmHWM:".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length > 0 && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb))
                {
                    return kb * 1024;
                }
            }
        }

        return null;
    }
}
