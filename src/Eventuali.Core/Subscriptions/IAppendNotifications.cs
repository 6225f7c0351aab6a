namespace Eventuali.Subscriptions;

/// <summary>
/// A store's wake-up signal for live subscriptions. A subscriber takes <see cref="NextAppendSignal"/>
/// BEFORE it reads the log, reads, and then waits for the signal (at most <see cref="PollInterval"/>):
/// an append committed after the read started completes the signal, so no wake-up is lost between
/// the read and the wait. Signals may be spurious; a subscriber always re-reads from its position.
/// </summary>
public interface IAppendNotifications
{
    /// <summary>A task that completes at the first append signal after this call.</summary>
    Task NextAppendSignal();

    /// <summary>
    /// How long a subscriber waits for a signal before reading the log anyway: covers writers the
    /// signal cannot see (other processes, a missed notification). <see cref="Timeout.InfiniteTimeSpan"/>: never.
    /// </summary>
    TimeSpan PollInterval { get; }
}
