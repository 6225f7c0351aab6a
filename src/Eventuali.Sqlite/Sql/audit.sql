-- The access audit log's statements. Each section starts with "-- name: <key>"; ?N parameters bound by index.

-- name: audit_head
SELECT position, recorded_at, actor, action, operation, stream_id, outcome, error_type, event_count, previous_hash, hash
FROM audit_log ORDER BY position DESC LIMIT 1;

-- name: audit_page
SELECT position, recorded_at, actor, action, operation, stream_id, outcome, error_type, event_count, previous_hash, hash
FROM audit_log WHERE position >= ?1 ORDER BY position LIMIT ?2;

-- name: audit_insert
INSERT INTO audit_log (position, recorded_at, actor, action, operation, stream_id, outcome, error_type, event_count, previous_hash, hash)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11);
