-- Statements of reads served by hot standbys (replica=host:port), one per "-- name:" section.

-- name: replica_horizon
-- On a replica: every position below the returned one is final there (all transactions with a lower id have finished
-- in the WAL it has replayed; a standby's snapshot counts a transaction it has not seen end as running). NULL on a
-- server that is not in recovery: a promoted or unrelated server is never read from as a replica.
SELECT CASE WHEN pg_is_in_recovery()
            THEN (pg_snapshot_xmin(pg_current_snapshot())::text::bigint + (SELECT m.position_offset FROM __SCHEMA__.meta m)) << 20 END

-- name: replica_barrier
-- On the primary, after a write that moves no position (a stream deleted, truncated, archived): every transaction
-- that has finished has an id below the snapshot's xmax, so a replica whose horizon passes the returned position has
-- replayed the write.
SELECT ((pg_snapshot_xmax(pg_current_snapshot())::text::bigint + (SELECT m.position_offset FROM __SCHEMA__.meta m)) << 20) - 1

-- name: primary_wal
SELECT pg_current_wal_lsn()::text

-- name: replica_lag
-- On a replica: bytes of WAL it has still to replay against the primary's position $1, seconds since the last
-- transaction it replayed was committed (0 when it has replayed everything), whether replay is paused.
SELECT CASE WHEN pg_is_in_recovery() THEN greatest(pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn()), 0)::bigint END,
       CASE WHEN NOT pg_is_in_recovery() THEN NULL
            WHEN pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn()) <= 0 THEN 0::float8
            ELSE coalesce(extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 0)::float8 END,
       CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() ELSE false END

-- name: stream_version_position
-- As stream_version, with the position of the stream's last event (what a replica must have replayed to serve it).
SELECT CASE WHEN s.state = 0 THEN greatest((SELECT max(e.version) FROM __SCHEMA__.events e WHERE e.stream_id = s.id), nullif(s.truncated_before - 1, 0)) END,
       (SELECT e.position FROM __SCHEMA__.events e WHERE e.stream_id = s.id ORDER BY e.version DESC LIMIT 1)
  FROM __SCHEMA__.streams s WHERE s.name = $1
