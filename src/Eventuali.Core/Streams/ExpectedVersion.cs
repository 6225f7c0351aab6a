namespace Eventuali;

/// <summary>
/// What the writer believes about a stream's version before an append.
/// Stream versions start at 1; a stream with no events has no version.
/// </summary>
public readonly record struct ExpectedVersion
{
    private const long AnyValue = -1;
    private const long StreamExistsValue = -2;

    private ExpectedVersion(long value) => Value = value;

    /// <summary>The raw value: -1 any, -2 stream exists, 0 no stream, N exactly version N.</summary>
    public long Value { get; }

    /// <summary>No check: append wherever the stream is.</summary>
    public static ExpectedVersion Any => new(AnyValue);

    /// <summary>The stream must not exist yet.</summary>
    public static ExpectedVersion NoStream => new(0);

    /// <summary>The stream must already have at least one event.</summary>
    public static ExpectedVersion StreamExists => new(StreamExistsValue);

    /// <summary>The stream must be exactly at <paramref name="version"/> (0 means it must not exist).</summary>
    public static ExpectedVersion Exact(long version)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        return new(version);
    }

    /// <summary>True for <see cref="Any"/>.</summary>
    public bool IsAny => Value == AnyValue;
    /// <summary>True for <see cref="StreamExists"/>.</summary>
    public bool IsStreamExists => Value == StreamExistsValue;
    /// <summary>True for <see cref="NoStream"/>.</summary>
    public bool IsNoStream => Value == 0;
    /// <summary>True for an exact version (including <see cref="NoStream"/>, version 0).</summary>
    public bool IsExact => Value >= 0;

    /// <summary>Whether a stream whose current version is <paramref name="actual"/> (null: no stream) satisfies this expectation.</summary>
    public bool IsSatisfiedBy(long? actual) => Value switch
    {
        AnyValue => true,
        StreamExistsValue => actual is > 0,
        0 => actual is null or 0,
        _ => actual == Value,
    };

    /// <inheritdoc />
    public override string ToString() => Value switch
    {
        AnyValue => "any",
        StreamExistsValue => "stream-exists",
        0 => "no-stream",
        _ => Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
