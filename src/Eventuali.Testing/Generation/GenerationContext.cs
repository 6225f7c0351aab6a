using System.Globalization;

namespace Eventuali.Testing.Generation;

/// <summary>What a domain gets for one stream: the stream's number, the events wanted, and seeded randomness with helpers for realistic values.</summary>
public sealed class GenerationContext
{
    private static readonly string[] FirstNames = ["Ada", "Ben", "Chloé", "Dmitri", "Elif", "Farah", "Grace", "Hiro", "Ines", "Jonas", "Kwame", "Lena", "Mateo", "Nora", "Oskar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen", "Yara", "Zoe"];
    private static readonly string[] LastNames = ["Almeida", "Brown", "Chen", "Dubois", "Eriksen", "Fischer", "García", "Haddad", "Ivanova", "Jensen", "Kowalski", "Lopez", "Müller", "Nakamura", "Okafor", "Patel", "Rossi", "Schmidt", "Tanaka", "Usman", "Virtanen", "Walsh", "Yilmaz", "Zhang"];
    private static readonly string[] Words = ["rent", "groceries", "salary", "refund", "utilities", "travel", "books", "insurance", "gift", "savings", "repairs", "subscription", "dinner", "fuel", "tuition"];

    internal GenerationContext(int streamIndex, int events, int seed)
    {
        StreamIndex = streamIndex;
        Events = events;
        Seed = seed;
        Random = new Random(unchecked((seed * 1_000_003) + streamIndex));
    }

    /// <summary>The stream's number, 0 to streams - 1.</summary>
    public int StreamIndex { get; }

    /// <summary>How many events the stream should have.</summary>
    public int Events { get; }

    /// <summary>The run's seed.</summary>
    public int Seed { get; }

    /// <summary>This stream's randomness: seeded from the run's seed and the stream's number, so each stream is reproducible on its own.</summary>
    public Random Random { get; }

    /// <summary>A stable id for this stream: the seed and the stream number (<c>42-000007</c>), after <paramref name="prefix"/> and a dash when given.</summary>
    public string Id(string? prefix = null) => string.Create(CultureInfo.InvariantCulture, $"{(string.IsNullOrEmpty(prefix) ? string.Empty : prefix + "-")}{Seed}-{StreamIndex:D6}");

    /// <summary>A person's name.</summary>
    public string PersonName() => $"{Pick(FirstNames)} {Pick(LastNames)}";

    /// <summary>A short note of one or two words.</summary>
    public string Note() => Random.Next(3) == 0 ? $"{Pick(Words)} {Pick(Words)}" : Pick(Words);

    /// <summary>An amount between <paramref name="min"/> and <paramref name="max"/>, in cents.</summary>
    public decimal Amount(decimal min, decimal max)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(min, max);
        var cents = (long)((max - min) * 100m);
        return min + (Random.NextInt64(cents + 1) / 100m);
    }

    /// <summary>One of <paramref name="values"/>.</summary>
    public T Pick<T>(IReadOnlyList<T> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfZero(values.Count);
        return values[Random.Next(values.Count)];
    }

    /// <summary>True with probability <paramref name="probability"/>.</summary>
    public bool Chance(double probability) => Random.NextDouble() < probability;
}
