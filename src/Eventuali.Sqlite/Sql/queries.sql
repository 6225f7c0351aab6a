-- Statements used at run time. Each section starts with "-- name: <key>".
-- Positional parameters (?1, ?2 ...) are bound by index in code.

-- name: meta_version
SELECT value FROM eventuali_meta WHERE key = 'schema_version';

-- name: meta_set
INSERT INTO eventuali_meta (key, value) VALUES (?1, ?2)
ON CONFLICT (key) DO UPDATE SET value = excluded.value;

-- name: table_count
SELECT count(*) FROM sqlite_master WHERE type = 'table';

-- name: has_meta
SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'eventuali_meta';

-- name: stream_id
SELECT id FROM streams WHERE name = ?1;

-- name: stream_name
SELECT name FROM streams WHERE id = ?1;

-- name: stream_insert
INSERT INTO streams (name) VALUES (?1);

-- NULL for a deleted stream (state <> 0); truncated or archived events still count (truncated_before).
-- name: stream_version
SELECT CASE WHEN s.state = 0 THEN nullif(max(coalesce((SELECT max(e.version) FROM events e WHERE e.stream_id = s.id), 0), s.truncated_before - 1), 0) END
FROM streams s WHERE s.id = ?1;

-- name: event_by_id
SELECT e.version, e.position, s.name
FROM events e JOIN streams s ON s.id = e.stream_id
WHERE e.event_id = ?1;

-- name: event_at
SELECT event_id, position FROM events WHERE stream_id = ?1 AND version = ?2;

-- name: event_insert
INSERT INTO events (stream_id, version, event_id, event_type, content_type, data,
                    correlation_id, causation_id, actor_id, headers, timestamp)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11);

-- name: head_position
SELECT coalesce(max(position), 0) FROM events;

-- name: stream_page
-- One page of a stream, live (__TABLE__ = events) or archived (archived_events), forward (__CMP__ >=,
-- __ORDER__ ASC) or backward (<=, DESC); SqlText makes the four statements from this one template.
-- ?1 stream row id, ?2 from version, ?3 page size.
SELECT position, stream_id, version, event_id, event_type, content_type, data,
       correlation_id, causation_id, actor_id, headers, timestamp
FROM __TABLE__ WHERE stream_id = ?1 AND version __CMP__ ?2 AND (SELECT state FROM streams WHERE id = ?1) = 0 ORDER BY version __ORDER__ LIMIT ?3;

-- name: read_all
SELECT position, stream_id, version, event_id, event_type, content_type, data,
       correlation_id, causation_id, actor_id, headers, timestamp
FROM events WHERE position >= ?1 ORDER BY position LIMIT ?2;

-- Filters: ?3 stream-id prefix (NULL: none) with ?4 its exclusive upper bound (NULL: none);
-- ?5 a JSON array of event type names (NULL: any type).
-- name: read_all_filtered
SELECT position, stream_id, version, event_id, event_type, content_type, data,
       correlation_id, causation_id, actor_id, headers, timestamp
FROM events
WHERE position >= ?1
  AND (?3 IS NULL OR stream_id IN (SELECT id FROM streams WHERE name >= ?3 AND (?4 IS NULL OR name < ?4)))
  AND (?5 IS NULL OR event_type IN (SELECT value FROM json_each(?5)))
ORDER BY position LIMIT ?2;

-- Transaction control of the writer loop.
-- name: begin_immediate
BEGIN IMMEDIATE;

-- name: commit
COMMIT;

-- name: rollback
ROLLBACK;

-- name: savepoint
SAVEPOINT append;

-- name: release
RELEASE append;

-- name: rollback_to
ROLLBACK TO append;
