namespace Eventuali.Sagas;

/// <summary>A saga instance was saved by someone else since it was loaded. Nothing was written.</summary>
public sealed class SagaConcurrencyException : EventualiException
{
    /// <summary>Creates the exception for saga <paramref name="sagaName"/>/<paramref name="sagaId"/>, expected at <paramref name="expectedVersion"/> and found at <paramref name="actualVersion"/> (null: not stored).</summary>
    public SagaConcurrencyException(string sagaName, string sagaId, long expectedVersion, long? actualVersion)
        : base($"Concurrency conflict on saga '{sagaName}' instance '{sagaId}': expected version {expectedVersion}, actual version {(actualVersion is null ? "none (not stored)" : actualVersion.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))}.")
    {
        SagaName = sagaName;
        SagaId = sagaId;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>The saga type's name.</summary>
    public string SagaName { get; }
    /// <summary>The saga instance.</summary>
    public string SagaId { get; }
    /// <summary>The version the write expected.</summary>
    public long ExpectedVersion { get; }

    /// <summary>The stored version when the save was refused; null when the instance is not stored.</summary>
    public long? ActualVersion { get; }
}
