-- Statements of the lease table (Sql/013_leases.sql), one per "-- name:" section. __SCHEMA__ is the quoted schema
-- name. $3 durations are milliseconds. Expiry uses the server's clock (clock_timestamp), never a node's.

-- name: acquire
-- Takes the lease when it is new, released, expired, or its holder's keep-alive backend is gone (a killed process);
-- returns the new epoch, or no row when a live holder keeps it.
INSERT INTO __SCHEMA__.leases AS l (name, owner, epoch, expires_at, holder_pid, acquired_at, renewed_at)
VALUES ($1, $2, 1, clock_timestamp() + $3 * interval '1 millisecond', pg_backend_pid(), clock_timestamp(), clock_timestamp())
ON CONFLICT (name) DO UPDATE SET
  owner = excluded.owner, epoch = l.epoch + 1, expires_at = excluded.expires_at, holder_pid = excluded.holder_pid,
  acquired_at = excluded.acquired_at, renewed_at = excluded.renewed_at
WHERE l.owner IS NULL
   OR l.expires_at <= clock_timestamp()
   OR NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = l.holder_pid)
RETURNING l.epoch

-- name: held
-- Whether a live holder keeps the lease, read without locking: a standby's attempt is then denied before it opens the
-- lease's connections or queues behind the holder's commit (which would hold up the holder's next transaction).
SELECT EXISTS (SELECT 1 FROM __SCHEMA__.leases l
                WHERE l.name = $1 AND l.owner IS NOT NULL AND l.expires_at > clock_timestamp()
                  AND EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = l.holder_pid))

-- name: renew
-- Extends the lease while the epoch is still ours (also after it expired, when nobody took it meanwhile).
UPDATE __SCHEMA__.leases SET expires_at = clock_timestamp() + $3 * interval '1 millisecond', renewed_at = clock_timestamp(), holder_pid = pg_backend_pid()
 WHERE name = $1 AND epoch = $2
RETURNING epoch

-- name: release
UPDATE __SCHEMA__.leases SET owner = NULL, holder_pid = NULL, expires_at = clock_timestamp() WHERE name = $1 AND epoch = $2

-- name: fence
-- In the holder's transaction, before its commit: the current epoch and holder, row locked (FOR SHARE) so a takeover
-- waits for this commit and then reads what it committed, or this commit sees the takeover and is refused.
SELECT epoch, owner FROM __SCHEMA__.leases WHERE name = $1 FOR SHARE

-- name: list
SELECT name, owner, epoch, expires_at, expires_at > clock_timestamp() FROM __SCHEMA__.leases ORDER BY name

-- name: member_beat
-- Membership of a group (a partitioned projection's daemons): the row group@node, alive until $3 ms from now, and
-- while the backend that wrote it exists ($4: record it; not behind a pooler, whose server connections outlive clients).
INSERT INTO __SCHEMA__.leases (name, owner, epoch, expires_at, holder_pid, acquired_at, renewed_at)
VALUES ($1 || '@' || $2, $2, 0, clock_timestamp() + $3 * interval '1 millisecond', CASE WHEN $4 THEN pg_backend_pid() END, clock_timestamp(), clock_timestamp())
ON CONFLICT (name) DO UPDATE SET expires_at = excluded.expires_at, renewed_at = excluded.renewed_at, holder_pid = excluded.holder_pid

-- name: members
-- A killed node's backends end with its process: its row stops counting at once rather than when it expires.
SELECT owner FROM __SCHEMA__.leases m
 WHERE left(m.name, length($1) + 1) = $1 || '@' AND m.expires_at > clock_timestamp()
   AND (m.holder_pid IS NULL OR EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = m.holder_pid))
 ORDER BY m.owner

-- name: member_leave
DELETE FROM __SCHEMA__.leases WHERE name = $1 || '@' || $2
