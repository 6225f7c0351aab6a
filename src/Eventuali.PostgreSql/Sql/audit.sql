-- The access audit log's statements, one per "-- name:" section. __SCHEMA__ is the quoted schema name.

-- name: audit_lock
-- Writers of one log take turns (self-conflicting, so two stores or processes never chain from the same head);
-- readers, which take ACCESS SHARE, are not blocked.
LOCK TABLE __SCHEMA__.audit_log IN SHARE ROW EXCLUSIVE MODE

-- name: audit_head
SELECT a.position, a.recorded_at, a.actor, a.action, a.operation, a.stream_id, a.outcome, a.error_type, a.event_count, a.previous_hash, a.hash
  FROM __SCHEMA__.audit_log a ORDER BY a.position DESC LIMIT 1

-- name: audit_page
SELECT a.position, a.recorded_at, a.actor, a.action, a.operation, a.stream_id, a.outcome, a.error_type, a.event_count, a.previous_hash, a.hash
  FROM __SCHEMA__.audit_log a WHERE a.position >= $1 ORDER BY a.position LIMIT $2

-- name: audit_insert
INSERT INTO __SCHEMA__.audit_log (position, recorded_at, actor, action, operation, stream_id, outcome, error_type, event_count, previous_hash, hash)
SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::smallint[], $5::text[], $6::text[], $7::smallint[], $8::text[],
                     $9::bigint[], $10::bytea[], $11::bytea[])
