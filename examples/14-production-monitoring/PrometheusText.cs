using System.Globalization;

namespace Monitoring;

/// <summary>One sample of a Prometheus text exposition: name, labels and value.</summary>
internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// Reads the text format served at /metrics, and computes what a dashboard would: sums and histogram quantiles
/// (linear interpolation inside the bucket, as PromQL's histogram_quantile does).
/// </summary>
internal sealed class PrometheusText
{
    private readonly List<Sample> _samples = [];

    public PrometheusText(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            _samples.Add(ParseLine(line));
        }
    }

    public IReadOnlyList<Sample> Samples => _samples;

    public bool Has(string name) => _samples.Any(s => s.Name == name);

    /// <summary>The sum of every series of <paramref name="name"/> whose labels include <paramref name="match"/>.</summary>
    public double Sum(string name, Func<IReadOnlyDictionary<string, string>, bool>? match = null)
        => _samples.Where(s => s.Name == name && (match is null || match(s.Labels))).Sum(s => s.Value);

    public double Max(string name)
        => _samples.Where(s => s.Name == name).Select(s => s.Value).DefaultIfEmpty(double.NaN).Max();

    /// <summary>The <paramref name="q"/> quantile of a histogram, its buckets summed over every other label.</summary>
    public double Quantile(double q, string histogram, Func<IReadOnlyDictionary<string, string>, bool>? match = null)
    {
        var buckets = _samples
            .Where(s => s.Name == histogram + "_bucket" && (match is null || match(s.Labels)))
            .GroupBy(s => ParseBound(s.Labels["le"]))
            .Select(g => (Bound: g.Key, Count: g.Sum(s => s.Value)))
            .OrderBy(b => b.Bound)
            .ToList();
        if (buckets.Count == 0 || buckets[^1].Count == 0)
        {
            return double.NaN;
        }

        var rank = q * buckets[^1].Count;
        var (lowerBound, lowerCount) = (0.0, 0.0);
        foreach (var (bound, count) in buckets)
        {
            if (count >= rank)
            {
                if (double.IsPositiveInfinity(bound))
                {
                    return lowerBound; // above the highest finite bucket: its bound is all that is known
                }

                return lowerBound + ((bound - lowerBound) * (rank - lowerCount) / (count - lowerCount));
            }

            (lowerBound, lowerCount) = (bound, count);
        }

        return buckets[^1].Bound;
    }

    private static double ParseBound(string le)
        => le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);

    private static Sample ParseLine(string line)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var brace = line.IndexOf('{', StringComparison.Ordinal);
        string name;
        string rest;
        if (brace >= 0)
        {
            name = line[..brace];
            var close = line.LastIndexOf('}');
            foreach (var pair in SplitLabels(line[(brace + 1)..close]))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                labels[pair[..eq]] = pair[(eq + 2)..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
            }

            rest = line[(close + 1)..].Trim();
        }
        else
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            name = line[..space];
            rest = line[(space + 1)..].Trim();
        }

        var valueText = rest.Split(' ')[0];
        var value = valueText switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(valueText, CultureInfo.InvariantCulture),
        };
        return new Sample(name, labels, value);
    }

    private static IEnumerable<string> SplitLabels(string text)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '"')
            {
                quoted = !quoted;
            }
            else if (text[i] == ',' && !quoted)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }
}
