-- Stream lifecycle statements. Each section starts with "-- name: <key>"; ?N parameters bound by index.

-- The version an append continues from (ignoring state), and the state. Version 0: no events ever kept.
-- name: stream_state
SELECT max(coalesce((SELECT max(e.version) FROM events e WHERE e.stream_id = ?1), 0), s.truncated_before - 1), s.state
FROM streams s WHERE s.id = ?1;

-- name: lc_stream
SELECT s.id, s.state, s.truncated_before, coalesce((SELECT max(e.version) FROM events e WHERE e.stream_id = s.id), 0)
FROM streams s WHERE s.name = ?1;

-- name: lc_insert_tombstone
INSERT INTO streams (name, state) VALUES (?1, 2);

-- name: lc_set_state
UPDATE streams SET state = ?2 WHERE id = ?1;

-- A hard delete: the row stays (ids are cached by name), its state and truncation point start over.
-- name: lc_reset
UPDATE streams SET state = ?2, truncated_before = 1 WHERE id = ?1;

-- name: lc_delete_events
DELETE FROM events WHERE stream_id = ?1;

-- name: lc_delete_archived
DELETE FROM archived_events WHERE stream_id = ?1;

-- name: lc_archive_copy
INSERT INTO archived_events (position, stream_id, version, event_id, event_type, content_type, data,
                             correlation_id, causation_id, actor_id, headers, timestamp)
SELECT position, stream_id, version, event_id, event_type, content_type, data,
       correlation_id, causation_id, actor_id, headers, timestamp
FROM events WHERE stream_id = ?1 AND version < ?2;

-- name: lc_truncate
DELETE FROM events WHERE stream_id = ?1 AND version < ?2;

-- name: lc_set_truncated
UPDATE streams SET truncated_before = max(truncated_before, ?2) WHERE id = ?1;

-- A hard delete removes the stream's snapshots (keyed by stream name).
-- name: lc_delete_snapshots
DELETE FROM snapshots WHERE stream = ?1;

-- Live streams with at least one version, by name, one page after ?1; ?2/?3 the prefix range (NULL: none).
-- name: lc_list
SELECT s.name FROM streams s
WHERE s.state = 0 AND s.name > ?1 AND (?2 IS NULL OR s.name >= ?2) AND (?3 IS NULL OR s.name < ?3)
  AND (s.truncated_before > 1 OR EXISTS (SELECT 1 FROM events e WHERE e.stream_id = s.id))
ORDER BY s.name LIMIT ?4;

