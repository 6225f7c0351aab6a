-- Stream lifecycle statements, one per "-- name:" section. __SCHEMA__ is the quoted schema name.

-- name: lc_insert_tombstone
-- Tombstones a name never written. A racing append's insert of the same name waits for this row, then sees it.
INSERT INTO __SCHEMA__.streams (name, state, epoch) VALUES ($1, 2, 1) ON CONFLICT (name) DO NOTHING RETURNING id

-- name: lc_lock
-- A delete waits for every running append transaction and holds off new inserts until it commits, so an
-- append either commits before the delete (and its events are deleted too) or decides after it.
LOCK TABLE __SCHEMA__.events IN SHARE MODE

-- name: lc_stream
-- The stream row, locked: lifecycle operations on one stream take turns (appends do not lock it).
SELECT s.id, s.state, s.truncated_before, coalesce((SELECT max(e.version) FROM __SCHEMA__.events e WHERE e.stream_id = s.id), 0)
  FROM __SCHEMA__.streams s WHERE s.name = $1 FOR UPDATE

-- name: lc_info
SELECT s.id, s.state, s.truncated_before, coalesce((SELECT max(e.version) FROM __SCHEMA__.events e WHERE e.stream_id = s.id), 0)
  FROM __SCHEMA__.streams s WHERE s.name = $1

-- name: lc_set_state
UPDATE __SCHEMA__.streams SET state = $2, epoch = epoch + 1 WHERE id = $1

-- name: lc_reset
UPDATE __SCHEMA__.streams SET state = $2, truncated_before = 1, epoch = epoch + 1 WHERE id = $1

-- name: lc_delete_events
DELETE FROM __SCHEMA__.events WHERE stream_id = $1

-- name: lc_delete_archived
DELETE FROM __SCHEMA__.archived_events WHERE stream_id = $1

-- name: lc_archive_copy
INSERT INTO __SCHEMA__.archived_events
SELECT e.position, e.stream_id, e.version, e.event_id, e.event_type, e.content_type, e.data_json, e.data_bytes,
       e.correlation_id, e.causation_id, e.actor_id, e.headers, e."timestamp"
  FROM __SCHEMA__.events e WHERE e.stream_id = $1 AND e.version < $2

-- name: lc_truncate
DELETE FROM __SCHEMA__.events WHERE stream_id = $1 AND version < $2

-- name: lc_set_truncated
UPDATE __SCHEMA__.streams SET truncated_before = greatest(truncated_before, $2) WHERE id = $1

-- name: lc_delete_snapshots
-- A hard delete removes the stream's snapshots (keyed by stream name).
DELETE FROM __SCHEMA__.snapshots WHERE stream = $1

-- name: lc_list
-- Live streams with a version, one page after $1; $2/$3 the prefix range (NULL: all).
SELECT s.name FROM __SCHEMA__.streams s
 WHERE s.state = 0 AND s.name > $1
   AND ($2::text IS NULL OR (s.name >= $2 AND s.name < $3 AND left(s.name, length($2)) = $2))
   AND (s.truncated_before > 1 OR EXISTS (SELECT 1 FROM __SCHEMA__.events e WHERE e.stream_id = s.id))
 ORDER BY s.name
 LIMIT $4

