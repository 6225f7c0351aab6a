namespace Eventuali;

/// <summary>The order of a stream read.</summary>
public enum ReadDirection
{
    /// <summary>Oldest first.</summary>
    Forward = 0,
    /// <summary>Newest first.</summary>
    Backward = 1,
}

/// <summary>Well-known stream versions for reads.</summary>
public static class StreamVersion
{
    /// <summary>The first version of every stream.</summary>
    public const long Start = 1;

    /// <summary>For backward reads: start at the newest event.</summary>
    public const long End = long.MaxValue;
}
