namespace Eventuali.Tools.Analytics;

/// <summary>
/// Flags values far from an exponentially weighted moving average. For each value x the detector first scores it
/// against what it has learnt, z = (x − mean) / stddev, then learns it (Finch's incremental EWMA and EW variance:
/// d = x − mean; mean += α·d; var = (1 − α)·(var + α·d²)). A value is anomalous when |z| exceeds
/// <see cref="Threshold"/>, once at least <see cref="Warmup"/> values were seen and the variance is not zero.
/// α near 0 remembers long; 2/(N+1) weighs about the last N values.
/// </summary>
public sealed class EwmaDetector
{
    private double _mean;
    private double _variance;

    /// <summary>Creates a detector.</summary>
    /// <param name="alpha">Smoothing factor in (0, 1].</param>
    /// <param name="threshold">How many standard deviations away is anomalous (positive).</param>
    /// <param name="warmup">Values learnt before any is scored (at least 2).</param>
    public EwmaDetector(double alpha = 0.1, double threshold = 3, int warmup = 10)
    {
        if (!(alpha > 0 && alpha <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"The EWMA smoothing factor must be in (0, 1]; got {alpha}.");
        }

        if (!(threshold > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, $"The anomaly threshold must be positive; got {threshold}.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(warmup, 2);
        Alpha = alpha;
        Threshold = threshold;
        Warmup = warmup;
    }

    /// <summary>The smoothing factor.</summary>
    public double Alpha { get; }

    /// <summary>The |z| above which a value is anomalous.</summary>
    public double Threshold { get; }

    /// <summary>Values learnt before scoring starts.</summary>
    public int Warmup { get; }

    /// <summary>Values seen so far.</summary>
    public long Count { get; private set; }

    /// <summary>The moving average.</summary>
    public double Mean => _mean;

    /// <summary>The moving standard deviation.</summary>
    public double StandardDeviation => Math.Sqrt(_variance);

    /// <summary>Scores <paramref name="value"/> against the history, then learns it.</summary>
    public EwmaScore Observe(double value)
    {
        var expected = _mean;
        var stddev = StandardDeviation;
        var z = Count >= Warmup && stddev > 0 ? (value - expected) / stddev : 0;
        if (Count == 0)
        {
            _mean = value;
        }
        else
        {
            var d = value - _mean;
            _mean += Alpha * d;
            _variance = (1 - Alpha) * (_variance + (Alpha * d * d));
        }

        Count++;
        return new EwmaScore(value, expected, stddev, z, Math.Abs(z) > Threshold);
    }
}

/// <summary>How one value compared with the moving average before it.</summary>
/// <param name="Value">The value.</param>
/// <param name="Expected">The moving average before it.</param>
/// <param name="StandardDeviation">The moving standard deviation before it.</param>
/// <param name="ZScore">(Value − Expected) / StandardDeviation (0 while warming up or when the deviation is 0).</param>
/// <param name="IsAnomaly">True when |ZScore| exceeded the threshold.</param>
public readonly record struct EwmaScore(double Value, double Expected, double StandardDeviation, double ZScore, bool IsAnomaly);
