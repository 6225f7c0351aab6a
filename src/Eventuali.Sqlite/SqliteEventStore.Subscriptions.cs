using Eventuali.Subscriptions;

namespace Eventuali.Sqlite;

/// <summary>
/// Live wake-up for subscriptions: this store's own commits signal at once (in process); appends by other
/// processes or other store instances on the same file are seen by polling every <see cref="FilePollInterval"/>.
/// </summary>
public sealed partial class SqliteEventStore : IAppendNotifications
{
    /// <summary>How often a live subscriber of a file store re-reads without a signal.</summary>
    public static readonly TimeSpan FilePollInterval = TimeSpan.FromMilliseconds(100);

    Task IAppendNotifications.NextAppendSignal() => _signal.Next;

    // A private in-memory database has no other writer: the signal sees every commit.
    TimeSpan IAppendNotifications.PollInterval => Location.IsMemory ? Timeout.InfiniteTimeSpan : FilePollInterval;
}
