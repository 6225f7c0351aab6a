namespace Eventuali.Parquet;

/// <summary>A Parquet export could not write its target or read its checkpoint; the store is never changed by an export.</summary>
public sealed class ParquetExportException : EventualiException
{
    /// <summary>Creates the exception with a message naming the target and what was wrong.</summary>
    public ParquetExportException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
