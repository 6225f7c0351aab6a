namespace Eventuali.Bench;

/// <summary>What every bench prints beside its figures: medians of runs, and the load the machine was under.</summary>
internal static class Figures
{
    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count), NaN for none.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The first <paramref name="count"/> load averages (1, 5, 15 minutes; Linux), or "?": on a shared machine it says how loaded a figure is.</summary>
    public static string LoadAverage(int count = 1)
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(count));
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
