namespace Eventuali.PostgreSql;

/// <summary>
/// The store's shared LISTEN connection, which wakes live subscribers at once on every append. While it is down,
/// subscribers poll every <see cref="PostgreSqlEventStore.PollInterval"/> and it reconnects with backoff.
/// </summary>
/// <param name="IsListening">Whether the connection is up and listening now (false before the first live subscriber).</param>
/// <param name="Connects">Times it has connected and issued LISTEN.</param>
/// <param name="Losses">Times a listening connection was lost.</param>
/// <param name="LastError">The last error that lost or refused the connection; null when none happened.</param>
/// <param name="LostSince">When the current outage began (by the store's clock); null while listening.</param>
public sealed record NotificationListenerStatus(bool IsListening, int Connects, int Losses, Exception? LastError, DateTimeOffset? LostSince);
