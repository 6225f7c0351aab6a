namespace Eventuali.PostgreSql;

/// <summary>
/// One hot standby of a store configured with <c>replica=host:port</c>, as measured now
/// (<see cref="PostgreSqlEventStore.GetReplicaStatusAsync"/>).
/// </summary>
/// <param name="Endpoint">The replica's host:port.</param>
/// <param name="Reachable">Whether it answered.</param>
/// <param name="LagBytes">WAL bytes it has still to replay to reach the primary's current position; null when unreachable or not a standby.</param>
/// <param name="LagSeconds">Seconds since the commit of the last transaction it replayed, 0 when it has replayed everything; null when unreachable or not a standby.</param>
/// <param name="ReplayPaused">Whether its replay is paused (<c>pg_wal_replay_pause()</c>).</param>
/// <param name="ReadsServed">Reads (pages) this store object has had served by it.</param>
public sealed record PostgreSqlReplicaStatus(string Endpoint, bool Reachable, long? LagBytes, double? LagSeconds, bool ReplayPaused, long ReadsServed);
