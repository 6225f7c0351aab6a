using Eventuali.Projections;

namespace Eventuali.Inbox;

/// <summary>
/// The message ids a consumer has handled, kept in the same database as the events so that recording an id and the
/// handler's writes commit in one transaction: a redelivered or duplicated message is then a no-op. An inbox is named
/// like a projection and written only through a transaction of that name's lease
/// (<see cref="IProjectionStore.TryAcquireProjectionAsync(string, string, CancellationToken)"/>), so one consumer at a time writes it.
/// Implemented by the SQLite and PostgreSQL stores.
/// </summary>
public interface IMessageInboxStore
{
    /// <summary>
    /// Records <paramref name="messageId"/> in <paramref name="inbox"/> inside <paramref name="transaction"/>; true when it
    /// was new (handle the message in the same transaction), false when it was already recorded (skip it).
    /// </summary>
    ValueTask<bool> TryRecordMessageAsync(IProjectionTransaction transaction, string inbox, string messageId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes, inside <paramref name="transaction"/>, the message ids of <paramref name="inbox"/> handled before
    /// <paramref name="handledBefore"/>, and returns how many: the inbox's dedup window ends there, so a message
    /// redelivered after its id expired is handled again.
    /// </summary>
    ValueTask<long> ExpireMessagesAsync(IProjectionTransaction transaction, string inbox, DateTimeOffset handledBefore, CancellationToken cancellationToken = default);

    /// <summary>How many message ids <paramref name="inbox"/> holds.</summary>
    ValueTask<long> CountMessagesAsync(string inbox, CancellationToken cancellationToken = default);
}

/// <summary>Checks on inbox names and message ids every backend makes.</summary>
public static class InboxValidation
{
    /// <summary>The longest message id an inbox keeps (broker ids are far shorter; an event id is 36 characters).</summary>
    public const int MaxMessageIdLength = 200;

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="inbox"/> is a projection name and <paramref name="messageId"/> has 1-200 characters.</summary>
    public static void Validate(string inbox, string messageId)
    {
        ProjectionNames.Validate(inbox);
        ArgumentNullException.ThrowIfNull(messageId);
        if (messageId.Length is 0 or > MaxMessageIdLength)
        {
            throw new ArgumentException($"A message id must have 1-{MaxMessageIdLength} characters; got {messageId.Length}.", nameof(messageId));
        }
    }
}
