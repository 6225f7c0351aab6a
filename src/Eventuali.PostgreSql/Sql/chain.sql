-- The tamper-evident log's statements, one per "-- name:" section. __SCHEMA__ is the quoted schema name.

-- name: chain_lock
-- Sealing and lifecycle removals take turns (appends never take it): a removal either happens before the sealer's
-- transaction (and chain_mark_vanished records it) or after (and marks the stored entries itself).
SELECT pg_advisory_xact_lock(1702258275, 0)

-- name: chain_last
SELECT c.position, c.chain_hash, c.removed FROM __SCHEMA__.event_chain c ORDER BY c.position DESC LIMIT 1

-- name: chain_page
SELECT c.position, c.chain_hash, c.removed FROM __SCHEMA__.event_chain c
 WHERE c.position >= $1 ORDER BY c.position LIMIT $2

-- name: chain_insert
INSERT INTO __SCHEMA__.event_chain (position, chain_hash, removed)
SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::boolean[])

-- name: chain_mark_vanished
-- Entries just stored whose event a lifecycle operation removed after the sealer read it.
UPDATE __SCHEMA__.event_chain c SET removed = true
 WHERE c.position BETWEEN $1 AND $2 AND NOT c.removed
   AND NOT EXISTS (SELECT 1 FROM __SCHEMA__.events e WHERE e.position = c.position)
   AND NOT EXISTS (SELECT 1 FROM __SCHEMA__.archived_events a WHERE a.position = c.position)

-- name: chain_mark_stream
-- A hard delete or tombstone of stream row $1: run before its events (live and archived) are deleted.
UPDATE __SCHEMA__.event_chain c SET removed = true
 WHERE c.position IN (SELECT e.position FROM __SCHEMA__.events e WHERE e.stream_id = $1
                      UNION ALL SELECT a.position FROM __SCHEMA__.archived_events a WHERE a.stream_id = $1)

-- name: chain_mark_cut
-- A truncation of stream row $1 below version $2: run before the events are deleted.
UPDATE __SCHEMA__.event_chain c SET removed = true
 WHERE c.position IN (SELECT e.position FROM __SCHEMA__.events e WHERE e.stream_id = $1 AND e.version < $2)

-- name: archived_log
-- Archived events in position order (the read_all column order).
SELECT e.position, e.stream_id, e.version, e.event_id, convert_to(e.event_type, 'UTF8'), NULLIF(e.content_type, 'application/json'),
       e.data_json, e.data_bytes,
       e.correlation_id, e.causation_id, e.actor_id, e.headers::text, e."timestamp"
  FROM __SCHEMA__.archived_events e
 WHERE e.position >= $1
 ORDER BY e.position
 LIMIT $2

-- name: chain_checkpoint_save
INSERT INTO __SCHEMA__.chain_checkpoints (position, chain_hash, created_at, key_id, signature) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (position) DO UPDATE SET chain_hash = excluded.chain_hash, created_at = excluded.created_at,
  key_id = excluded.key_id, signature = excluded.signature

-- name: chain_checkpoints
SELECT k.position, k.chain_hash, k.created_at, k.key_id, k.signature FROM __SCHEMA__.chain_checkpoints k ORDER BY k.position
