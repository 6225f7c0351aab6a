namespace Eventuali.Tools.Analytics;

/// <summary>
/// Event-time windows: <see cref="Tumbling"/> (fixed, non-overlapping) or <see cref="Sliding"/> (of <see cref="Size"/>,
/// starting every <see cref="Slide"/>, so an event falls in Size/Slide windows). Windows are aligned to midnight UTC of
/// 0001-01-01, so minute, hour and day windows start on the minute, the hour and midnight UTC.
/// </summary>
public sealed record WindowSpec
{
    private WindowSpec(TimeSpan size, TimeSpan slide)
    {
        Size = size;
        Slide = slide;
    }

    /// <summary>How much event time one window covers.</summary>
    public TimeSpan Size { get; }

    /// <summary>How far apart window starts are (equal to <see cref="Size"/> for tumbling windows).</summary>
    public TimeSpan Slide { get; }

    /// <summary>True for tumbling windows (each event in exactly one window).</summary>
    public bool IsTumbling => Slide == Size;

    /// <summary>Fixed windows of <paramref name="size"/>, one after another.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is zero or negative.</exception>
    public static WindowSpec Tumbling(TimeSpan size)
    {
        RequirePositive(size, "window size");
        return new(size, size);
    }

    /// <summary>Windows of <paramref name="size"/> starting every <paramref name="slide"/> (which must not exceed the size).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A non-positive size or slide, or a slide larger than the size.</exception>
    public static WindowSpec Sliding(TimeSpan size, TimeSpan slide)
    {
        RequirePositive(size, "window size");
        RequirePositive(slide, "window slide");
        if (slide > size)
        {
            throw new ArgumentOutOfRangeException(nameof(slide), slide, $"The window slide ({slide}) must not exceed the window size ({size}); events between windows would be lost.");
        }

        return new(size, slide);
    }

    private static void RequirePositive(TimeSpan value, string what)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(what.Replace(' ', '_'), value, $"The {what} must be positive; got {value}.");
        }
    }
}
