namespace Eventuali;

/// <summary>An append's expected version did not hold. Nothing was written.</summary>
public sealed class ConcurrencyException : EventualiException
{
    /// <summary>Creates the exception for <paramref name="streamId"/>, which was expected at <paramref name="expectedVersion"/> and is at <paramref name="actualVersion"/> (null: the stream does not exist).</summary>
    public ConcurrencyException(string streamId, ExpectedVersion expectedVersion, long? actualVersion)
        : base($"Concurrency conflict on stream '{streamId}': expected version {expectedVersion}, actual version {(actualVersion is null ? "none (stream does not exist)" : actualVersion.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))}.")
    {
        StreamId = streamId;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>The stream whose expected version did not hold.</summary>
    public string StreamId { get; }
    /// <summary>The version the append expected.</summary>
    public ExpectedVersion ExpectedVersion { get; }

    /// <summary>The stream's version when the append was refused; null when the stream did not exist.</summary>
    public long? ActualVersion { get; }
}
