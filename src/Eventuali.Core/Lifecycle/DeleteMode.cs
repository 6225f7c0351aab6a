namespace Eventuali.Lifecycle;

/// <summary>How <see cref="IStreamLifecycle.DeleteStreamAsync"/> deletes a stream.</summary>
public enum DeleteMode
{
    /// <summary>The stream disappears from stream reads; its events stay stored (and in the global log) and it can be restored.</summary>
    Soft = 0,

    /// <summary>Its events (hot and archived) are removed; the name is free again and starts over at version 1.</summary>
    Hard = 1,

    /// <summary>Its events are removed and the name is tombstoned: every later append throws <see cref="StreamDeletedException"/>.</summary>
    Tombstone = 2,
}
