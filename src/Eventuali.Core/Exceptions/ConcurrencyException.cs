namespace Eventuali;

/// <summary>An append's expected version did not hold. Nothing was written.</summary>
public sealed class ConcurrencyException : EventualiException
{
    public ConcurrencyException(string streamId, ExpectedVersion expectedVersion, long? actualVersion)
        : base($"Concurrency conflict on stream '{streamId}': expected version {expectedVersion}, actual version {(actualVersion is null ? "none (stream does not exist)" : actualVersion.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))}.")
    {
        StreamId = streamId;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    public string StreamId { get; }
    public ExpectedVersion ExpectedVersion { get; }

    /// <summary>The stream's version when the append was refused; null when the stream did not exist.</summary>
    public long? ActualVersion { get; }
}
