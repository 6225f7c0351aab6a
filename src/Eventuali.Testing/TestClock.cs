using Microsoft.Extensions.Time.Testing;

namespace Eventuali.Testing;

/// <summary>
/// The fake clock every specification runs on: a <see cref="FakeTimeProvider"/> that starts at a fixed instant and
/// moves only when a test advances it, wired into the store's options so event timestamps, snapshots, saga
/// timeouts and retention all see the same time.
/// </summary>
public static class TestClock
{
    /// <summary>The instant a new fake clock starts at unless told otherwise: 2026-01-01T09:00:00Z.</summary>
    public static DateTimeOffset DefaultStart { get; } = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A fake clock starting at <paramref name="start"/> (default <see cref="DefaultStart"/>).</summary>
    public static FakeTimeProvider Create(DateTimeOffset? start = null) => new(start ?? DefaultStart);

    /// <summary><paramref name="options"/> (default: new options) with <paramref name="clock"/> as the store's time provider.</summary>
    public static EventStoreOptions WithClock(this EventStoreOptions? options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return (options ?? new EventStoreOptions()) with { TimeProvider = clock };
    }
}
