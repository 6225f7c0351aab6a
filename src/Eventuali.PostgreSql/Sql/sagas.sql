-- Saga state and timeout statements, one per "-- name:" section. __SCHEMA__ is the quoted schema name.

-- name: saga_load
SELECT version, state, last_position, completed, outbox, updated_at
  FROM __SCHEMA__.saga_states WHERE saga_name = $1 AND saga_id = $2

-- name: saga_load_many
-- $1 name, $2 ids (text[]).
SELECT saga_id, version, state, last_position, completed, outbox, updated_at
  FROM __SCHEMA__.saga_states WHERE saga_name = $1 AND saga_id = ANY($2)

-- name: saga_insert
-- $1 name, $2 id, $3 state, $4 last position, $5 completed, $6 outbox, $7 now.
INSERT INTO __SCHEMA__.saga_states (saga_name, saga_id, version, state, last_position, completed, outbox, updated_at)
VALUES ($1, $2, 1, $3, $4, $5, $6, $7)
ON CONFLICT (saga_name, saga_id) DO NOTHING

-- name: saga_update
-- As saga_insert, with $8 the expected version.
UPDATE __SCHEMA__.saga_states
   SET version = version + 1, state = $3, last_position = $4, completed = $5, outbox = $6, updated_at = $7
 WHERE saga_name = $1 AND saga_id = $2 AND version = $8

-- name: saga_version
SELECT version FROM __SCHEMA__.saga_states WHERE saga_name = $1 AND saga_id = $2

-- name: timeouts_delete_all
DELETE FROM __SCHEMA__.saga_timeouts WHERE saga_name = $1 AND saga_id = $2

-- name: timeout_delete
DELETE FROM __SCHEMA__.saga_timeouts WHERE saga_name = $1 AND saga_id = $2 AND timeout_key = $3

-- name: timeout_upsert
-- $1 name, $2 id, $3 key, $4 timeout id, $5 due at, $6 data.
INSERT INTO __SCHEMA__.saga_timeouts (saga_name, saga_id, timeout_key, timeout_id, due_at, data)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (saga_name, saga_id, timeout_key) DO UPDATE
   SET timeout_id = excluded.timeout_id, due_at = excluded.due_at, data = excluded.data

-- name: timeouts_due
-- $1 name, $2 due by, $3 limit.
SELECT saga_id, timeout_key, timeout_id, due_at, data
  FROM __SCHEMA__.saga_timeouts WHERE saga_name = $1 AND due_at <= $2
 ORDER BY due_at, saga_id, timeout_key
 LIMIT $3

-- name: timeout_next
SELECT min(due_at) FROM __SCHEMA__.saga_timeouts WHERE saga_name = $1
