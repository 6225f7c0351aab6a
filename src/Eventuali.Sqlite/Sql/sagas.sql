-- Saga state and timeout statements. Each section starts with "-- name: <key>"; parameters are $names.

-- name: saga_load
SELECT version, state, last_position, completed, outbox, updated_at
FROM saga_states WHERE saga_name = $name AND saga_id = $id;

-- name: saga_insert
INSERT INTO saga_states (saga_name, saga_id, version, state, last_position, completed, outbox, updated_at)
VALUES ($name, $id, 1, $state, $last_position, $completed, $outbox, $now)
ON CONFLICT (saga_name, saga_id) DO NOTHING;

-- name: saga_update
UPDATE saga_states
SET version = version + 1, state = $state, last_position = $last_position, completed = $completed, outbox = $outbox, updated_at = $now
WHERE saga_name = $name AND saga_id = $id AND version = $expected;

-- name: saga_version
SELECT version FROM saga_states WHERE saga_name = $name AND saga_id = $id;

-- name: timeouts_delete_all
DELETE FROM saga_timeouts WHERE saga_name = $name AND saga_id = $id;

-- name: timeout_delete
DELETE FROM saga_timeouts WHERE saga_name = $name AND saga_id = $id AND timeout_key = $key;

-- name: timeout_upsert
INSERT INTO saga_timeouts (saga_name, saga_id, timeout_key, timeout_id, due_at, data)
VALUES ($name, $id, $key, $timeout_id, $due_at, $data)
ON CONFLICT (saga_name, saga_id, timeout_key) DO UPDATE
SET timeout_id = excluded.timeout_id, due_at = excluded.due_at, data = excluded.data;

-- name: timeouts_due
SELECT saga_id, timeout_key, timeout_id, due_at, data
FROM saga_timeouts WHERE saga_name = $name AND due_at <= $due_by
ORDER BY due_at, saga_id, timeout_key LIMIT $limit;

-- name: timeout_next
SELECT min(due_at) FROM saga_timeouts WHERE saga_name = $name;
