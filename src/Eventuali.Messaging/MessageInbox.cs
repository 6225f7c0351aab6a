using Eventuali.Inbox;
using Eventuali.Projections;

namespace Eventuali.Messaging;

/// <summary>
/// An idempotent consumer: each message id is recorded in the store's inbox in the same transaction as the handler's
/// writes (read-model documents, or the backend's own tables through <see cref="IProjectionTransaction.Backend"/>), so
/// a redelivered or duplicated message is a no-op. The inbox is held through the store's projection lease of the same
/// name: one consumer writes it at a time. Dispose to release it.
/// </summary>
public sealed class MessageInbox : IAsyncDisposable
{
    private readonly IProjectionLease _lease;
    private readonly IMessageInboxStore _inbox;
    private readonly TimeProvider _clock;

    private MessageInbox(string name, IProjectionLease lease, IMessageInboxStore inbox, TimeProvider clock)
    {
        Name = name;
        _lease = lease;
        _inbox = inbox;
        _clock = clock;
    }

    /// <summary>The inbox's name.</summary>
    public string Name { get; }

    /// <summary>Opens the inbox <paramref name="name"/> of <paramref name="store"/>, or returns null while another consumer holds it.</summary>
    public static async ValueTask<MessageInbox?> TryOpenAsync(IEventStore store, string name, string owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ProjectionNames.Validate(name);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var inbox = store.GetFeature<IMessageInboxStore>()
            ?? throw new NotSupportedException($"The store type {store.GetType().FullName} keeps no inbox (it does not implement {nameof(IMessageInboxStore)}); use a SQLite or PostgreSQL store.");
        var projections = store.GetFeature<IProjectionStore>()
            ?? throw new NotSupportedException($"The store type {store.GetType().FullName} keeps no leases (it does not implement {nameof(IProjectionStore)}).");
        var lease = await projections.TryAcquireProjectionAsync(name, owner, cancellationToken).ConfigureAwait(false);
        return lease is null ? null : new MessageInbox(name, lease, inbox, store.Options.TimeProvider);
    }

    /// <summary>
    /// Runs <paramref name="handler"/> for <paramref name="messageId"/> unless the inbox already holds it; the id and the
    /// handler's writes commit together. Returns true when handled now, false when it was a duplicate. A handler that
    /// throws rolls everything back (the message is not recorded).
    /// </summary>
    public async ValueTask<bool> HandleAsync(string messageId, Func<IProjectionTransaction, CancellationToken, ValueTask> handler, CancellationToken cancellationToken = default)
    {
        InboxValidation.Validate(Name, messageId);
        ArgumentNullException.ThrowIfNull(handler);
        var tx = await _lease.BeginAsync(cancellationToken).ConfigureAwait(false);
        await using (tx.ConfigureAwait(false))
        {
            if (!await _inbox.TryRecordMessageAsync(tx, Name, messageId, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            await handler(tx, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
    }

    /// <summary>
    /// Deletes the ids of messages handled more than <paramref name="retention"/> ago (by the store's clock) and returns
    /// how many. This is the inbox's dedup window: a duplicate arriving within it is a no-op; one arriving after its id
    /// expired is handled again. Keep it longer than the broker can redeliver (its ack wait times its delivery attempts,
    /// and any replay you may run); call it periodically, e.g. hourly.
    /// </summary>
    public async ValueTask<long> ExpireAsync(TimeSpan retention, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retention, TimeSpan.Zero);
        var tx = await _lease.BeginAsync(cancellationToken).ConfigureAwait(false);
        await using (tx.ConfigureAwait(false))
        {
            var expired = await _inbox.ExpireMessagesAsync(tx, Name, _clock.GetUtcNow() - retention, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return expired;
        }
    }

    /// <summary>How many message ids the inbox holds.</summary>
    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) => _inbox.CountMessagesAsync(Name, cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _lease.DisposeAsync();
}
