namespace Eventuali;

/// <summary>How far a successful append is guaranteed to survive.</summary>
public enum Durability
{
    /// <summary>Flushed to stable storage before the append returns: survives power loss (SQLite synchronous=FULL).</summary>
    Full = 0,

    /// <summary>
    /// Survives a crash of the application; a power loss or OS crash may roll back the most recent
    /// commits, never corrupt the store (SQLite WAL with synchronous=NORMAL).
    /// </summary>
    Relaxed = 1,
}
