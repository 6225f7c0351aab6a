-- Statements the store runs, one per "-- name:" section. __SCHEMA__ is the quoted schema name.
-- Positional parameters ($1...) are bound in the order given by the code that runs each one.

-- name: read_all
-- One page of the global log. Only positions below the horizon: every transaction whose id is below
-- the snapshot's xmin has finished, so no row can later appear below a position returned here.
-- $1 from position, $2 page size, filters add $3 (types) and $4/$5 (prefix and its upper bound).
SELECT e.position, e.stream_id, e.version, e.event_id, convert_to(e.event_type, 'UTF8'), NULLIF(e.content_type, 'application/json'),
       e.data_json, e.data_bytes,
       e.correlation_id, e.causation_id, e.actor_id, e.headers::text, e."timestamp"
  FROM __SCHEMA__.events e
 WHERE e.position >= $1
   AND e.position < ((pg_snapshot_xmin(pg_current_snapshot())::text::bigint + (SELECT m.position_offset FROM __SCHEMA__.meta m)) << 20)
   /*FILTER*/
 ORDER BY e.position
 LIMIT $2

-- name: filter_types
AND e.event_type = ANY ($3)

-- name: filter_prefix
AND e.stream_id IN (SELECT s.id FROM __SCHEMA__.streams s WHERE s.name >= $4 AND s.name < $5 AND left(s.name, length($4)) = $4)

-- name: stream_page
-- One page of a stream, live (__TABLE__ = events) or archived (archived_events), forward (__CMP__ >=,
-- __ORDER__ ASC) or backward (<=, DESC); SqlText makes the four statements from this one template.
-- $1 stream name, $2 from version, $3 page size.
SELECT e.position, e.stream_id, e.version, e.event_id, convert_to(e.event_type, 'UTF8'), NULLIF(e.content_type, 'application/json'),
       e.data_json, e.data_bytes,
       e.correlation_id, e.causation_id, e.actor_id, e.headers::text, e."timestamp"
  FROM __SCHEMA__.__TABLE__ e
 WHERE e.stream_id = (SELECT s.id FROM __SCHEMA__.streams s WHERE s.name = $1 AND s.state = 0) AND e.version __CMP__ $2
 ORDER BY e.version __ORDER__
 LIMIT $3

-- name: stream_version
-- NULL for a deleted stream; truncated or archived events still count (truncated_before).
SELECT CASE WHEN s.state = 0 THEN greatest((SELECT max(e.version) FROM __SCHEMA__.events e WHERE e.stream_id = s.id), nullif(s.truncated_before - 1, 0)) END
  FROM __SCHEMA__.streams s WHERE s.name = $1

-- name: head_position
SELECT coalesce(max(e.position), 0) FROM __SCHEMA__.events e
 WHERE e.position < ((pg_snapshot_xmin(pg_current_snapshot())::text::bigint + (SELECT m.position_offset FROM __SCHEMA__.meta m)) << 20)

-- The readable head (as head_position) next to the highest committed position, from one snapshot: committed
-- events above the readable head wait for an older transaction to finish (a held-back watermark).
-- name: log_watermark
SELECT (SELECT coalesce(max(e.position), 0) FROM __SCHEMA__.events e
         WHERE e.position < ((pg_snapshot_xmin(pg_current_snapshot())::text::bigint + (SELECT m.position_offset FROM __SCHEMA__.meta m)) << 20)),
       (SELECT coalesce(max(e.position), 0) FROM __SCHEMA__.events e)

-- A durability barrier for readers, with the readable horizon of its snapshot. Its commit waits as an acknowledged
-- append's does: a transactional WAL message takes a transaction id, so with synchronous standbys the commit returns
-- only once they have the message, and with it every commit the snapshot could see (those commit records come
-- earlier in the WAL). Without it a reader could deliver a commit that is visible on the primary but on no standby
-- (its wait for the standby cancelled, or cut short by the primary's crash), which a failover then loses.
-- synchronous_commit 'off' or 'local' (a relaxed session) is raised to 'on' for this transaction only. Nothing is
-- written without synchronous standbys, on a standby, or in a read-only transaction.
-- name: durable_horizon
SELECT (pg_snapshot_xmin(pg_current_snapshot())::text::bigint + (SELECT m.position_offset FROM __SCHEMA__.meta m)) << 20,
       CASE WHEN b.sync AND current_setting('synchronous_commit') IN ('off', 'local') THEN set_config('synchronous_commit', 'on', true) END,
       CASE WHEN b.sync THEN pg_logical_emit_message(true, 'eventuali.durable', '') END
  FROM (SELECT current_setting('synchronous_standby_names') <> '' AND NOT pg_is_in_recovery()
               AND current_setting('transaction_read_only') = 'off' AS sync) b

-- name: stream_names
SELECT s.id, s.name FROM __SCHEMA__.streams s WHERE s.id = ANY ($1)

-- name: append
SELECT status, stream_version, last_position, existing_id, existing_stream, existing_version, message
  FROM __SCHEMA__.append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)

-- name: append_many
SELECT status, stream_version, last_position, existing_id, existing_stream, existing_version, message
  FROM __SCHEMA__.append_many($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)

-- name: install_lock
-- Serializes schema creation between nodes starting at once (two-key form: no clash with one-key locks).
SELECT pg_advisory_xact_lock(1702258273, hashtext($1))

-- name: meta_exists
SELECT to_regclass($1) IS NOT NULL

-- name: meta_read
SELECT schema_version, position_offset FROM __SCHEMA__.meta

-- name: meta_write
INSERT INTO __SCHEMA__.meta (singleton, schema_version, position_offset) VALUES (true, $1, 0)
ON CONFLICT (singleton) DO UPDATE SET schema_version = excluded.schema_version

-- name: offset_needed
-- Whether positions already stored reach the current transaction id (a restore into another cluster).
SELECT coalesce((SELECT max(position) >> 20 FROM __SCHEMA__.events), -1) - pg_current_xact_id()::text::bigint
       - (SELECT m.position_offset FROM __SCHEMA__.meta m)

-- name: offset_lock
-- Waits for every writer that read the old offset (they hold ACCESS SHARE on meta) and holds off new ones.
LOCK TABLE __SCHEMA__.meta IN ACCESS EXCLUSIVE MODE

-- name: offset_raise
UPDATE __SCHEMA__.meta SET position_offset = position_offset + $1

-- name: listen
LISTEN __CHANNEL__

-- name: unlisten
UNLISTEN __CHANNEL__
